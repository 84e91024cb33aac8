def onTagChange(initialChange, newValue, previousValue, event, executionCount):
    seen = system.util.getGlobals().setdefault("tag_changes", [])
    seen.append([str(event.tagPath), newValue.value, initialChange, executionCount])
