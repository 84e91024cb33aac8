def handleTimerEvent():
	"""Import B2MML files dropped by the ERP (folder = erp_setting inbound.drop_folder)."""
	mes.erpinbound.poll_drop_folder()
