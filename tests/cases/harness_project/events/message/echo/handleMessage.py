def handleMessage(payload):
    received = system.util.getGlobals().setdefault("messages", [])
    received.append(payload.get("text"))
    return {"echo": lib.sub.gamma.upper(payload.get("text", ""))}
