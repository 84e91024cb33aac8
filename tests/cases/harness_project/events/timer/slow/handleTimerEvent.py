def handleTimerEvent():
    runs = system.util.getGlobals().setdefault("timer_runs", [])
    runs.append(("slow", system.date.format(system.date.now(), "HH:mm:ss.SSS")))
