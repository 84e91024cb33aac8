def onShutdown():
    system.util.getLogger("lifecycle").info("shutdown")
