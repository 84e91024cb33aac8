def onStartup():
    system.tag.writeBlocking(["[default]Status/StartedAt"], [system.date.now()])
