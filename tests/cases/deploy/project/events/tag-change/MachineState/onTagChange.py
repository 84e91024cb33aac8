def onTagChange(initialChange, newValue, previousValue, event, executionCount):
	if not initialChange:
		mes.oee.record_state(str(event.tagPath), newValue.value)
