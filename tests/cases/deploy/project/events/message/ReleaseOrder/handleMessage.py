def handleMessage(payload):
	return mes.dispatch.queue.release(payload)
