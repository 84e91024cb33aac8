def onStartup():
	system.util.getLogger("genba").info("started")
