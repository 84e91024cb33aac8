def handleTimerEvent():
	plant.util.line_name(1)
