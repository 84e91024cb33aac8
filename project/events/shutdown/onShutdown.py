def onShutdown():
	"""Gateway stop: close the open OEE state intervals (reopened at startup if unchanged)."""
	mes.oeelive.on_shutdown()
