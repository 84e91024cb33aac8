def handleTimerEvent():
	"""Import B2MML files dropped by the ERP (folder = erp_setting inbound.drop_folder)."""
	mes.outage.skip_when_unreachable("mes.erpinbound", "ERP drop-folder import", mes.erpinbound.poll_drop_folder)
