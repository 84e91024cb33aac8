def handleTimerEvent():
	# Lots past their expiry date become `expired` (consumption already refuses them from the day after expiry).
	mes.lot.expire_due()
