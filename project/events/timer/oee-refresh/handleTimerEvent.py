def handleTimerEvent():
	"""Refresh the live OEE tags of every machine and line."""
	mes.oeeevents.on_timer()
