def handleTimerEvent():
	"""Judge and book gauge readings kept during a database outage, oldest first."""
	mes.outage.skip_when_unreachable("genba.quality", "Booking kept gauge readings", mes.quality.on_forward_timer)
