def onStartup():
	system.util.getLogger("plant").info("up")
