def onTagChange(initialChange, newValue, previousValue, event, executionCount):
    # A gauge or scale reported a reading: judge it, interlock on a failure, run SPC.
    if initialChange:
        return
    try:
        mes.quality.on_gauge_change(str(event.tagPath), newValue.value, newValue.quality.isGood())
    except mes.errors.MesError as error:
        system.util.getLogger("genba.quality").warn("%s: %s" % (event.tagPath, error.message))
