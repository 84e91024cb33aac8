def onTagChange(initialChange, newValue, previousValue, event, executionCount):
    # A gauge or scale reported a reading: judge it, interlock on a failure, run SPC; while the
    # database is down the reading is kept (store-and-forward) and judged in order once it is back.
    if initialChange:
        return
    # the device link came back with the reading already judged: not a new reading
    if previousValue is not None and not previousValue.quality.isGood() and newValue.quality.isGood() \
            and previousValue.value == newValue.value:
        return
    try:
        mes.quality.on_gauge_event(str(event.tagPath), newValue.value, newValue.quality.isGood())
    except mes.errors.MesError as error:
        system.util.getLogger("genba.quality").warn("%s: %s" % (event.tagPath, error.message))
