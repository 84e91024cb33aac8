def handleTimerEvent():
	"""Import B2MML files dropped by the ERP (folder = erp_setting inbound.drop_folder).

	While the database is unreachable the files stay in the folder: the tick is skipped with a
	warning and a later tick imports them."""
	try:
		mes.erpinbound.poll_drop_folder()
	except Exception as error:
		if type(error).__name__ not in mes.oeeevents.DATABASE_ERRORS:
			raise
		system.util.getLogger("mes.erpinbound").warn("ERP drop folder tick skipped, the database is not reachable: %s" % (error,))
