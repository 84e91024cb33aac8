def handleTimerEvent():
    """Republish every work center's dispatch status tags (heals a missed or failed write)."""
    mes.dispatch.publish_all()
