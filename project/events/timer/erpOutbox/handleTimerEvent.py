def handleTimerEvent():
	"""Send due ERP messages from the outbox (retries with backoff, causal order per work order)."""
	mes.outbox.dispatch()
