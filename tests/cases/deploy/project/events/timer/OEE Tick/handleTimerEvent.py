def handleTimerEvent():
	mes.oee.tick()
