def handleTimerEvent():
	"""Send due ERP messages from the outbox (retries with backoff, causal order per work order).

	While the database is unreachable nothing can be sent or marked: the tick is skipped with a
	warning and the next tick after the outage sends what is due."""
	try:
		mes.outbox.dispatch()
	except Exception as error:
		if type(error).__name__ not in mes.oeeevents.DATABASE_ERRORS:
			raise
		system.util.getLogger("mes.outbox").warn("ERP outbox tick skipped, the database is not reachable: %s" % (error,))
