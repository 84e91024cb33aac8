def onTagChange(initialChange, newValue, previousValue, event, executionCount):
	"""Machine State, FaultCode and counter changes feed the OEE intervals."""
	mes.oeeevents.handle_tag_change(str(event.tagPath), newValue, initialChange)
