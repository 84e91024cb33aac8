def handleTimerEvent():
	"""Send due ERP messages from the outbox (retries with backoff, causal order per work order)."""
	mes.outage.skip_when_unreachable("mes.outbox", "ERP outbox dispatch", mes.outbox.dispatch)
