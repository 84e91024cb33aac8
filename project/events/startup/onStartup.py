def onStartup():
	"""Gateway start: reconcile the OEE intervals left open by the last shutdown."""
	mes.oeeevents.on_startup()
