def onShutdown():
	"""Gateway stop: close the open OEE state intervals (reopened at startup if unchanged)."""
	mes.oeeevents.on_shutdown()
