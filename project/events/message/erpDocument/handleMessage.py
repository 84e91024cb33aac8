def handleMessage(payload):
	"""Receive one ERP document: payload {"document": B2MML text, "messageId": optional}; returns the result."""
	return mes.erpinbound.handle_message(payload)
