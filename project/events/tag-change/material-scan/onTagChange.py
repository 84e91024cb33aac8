def onTagChange(initialChange, newValue, previousValue, event, executionCount):
	# A station scanner read a barcode: verify it against the running work order and consume it.
	if initialChange or newValue is None or not newValue.quality.isGood():
		return
	# the device link came back with the read already handled: not a new read
	if previousValue is not None and not previousValue.quality.isGood() and previousValue.value == newValue.value:
		return
	mes.scanpoint.on_scan(str(event.tagPath), newValue.value)
