"""A PLC counter wraps at 2**32 and is later reset; the accumulated production stays exact.

A tag event script on the raw counter adds `mes.counter.delta(previous, current)` to a Produced
tag. Readings: 4294967200 (start) -> 4294967290 (+90) -> 5 (wrap: +11) -> 105 (+100) -> 3 (reset: +3)
-> 53 (+50) -> bad quality (ignored) -> 60 (+7, from the last good reading 53): 261 parts.
"""
from __future__ import absolute_import, division, print_function

PROJECT = "project"  # relative to the working directory (the repository root)
START = "2026-01-05T06:00:00"

COUNTER_SCRIPT = (
    "\tif initialChange or previousValue is None or not currentValue.quality.isGood():\n"
    "\t\treturn\n"
    "\tlast = system.tag.readBlocking(['[.]LastGood'])[0].value\n"
    "\tproduced = system.tag.readBlocking(['[.]Produced'])[0].value\n"
    "\tparts = mes.counter.delta(last, currentValue.value)\n"
    "\tsystem.tag.writeBlocking(['[.]Produced', '[.]LastGood'], [produced + parts, currentValue.value])\n"
)


def run(gw):
    gw.system.tag.configure("[default]Demo/Filler", [
        {"name": "LastGood", "tagType": "AtomicTag", "dataType": "Int8", "value": 4294967200},
        {"name": "Produced", "tagType": "AtomicTag", "dataType": "Int8", "value": 0},
        {"name": "Counter", "tagType": "AtomicTag", "dataType": "Int8", "valueSource": "opc",
         "opcServer": "Simulator", "opcItemPath": "ns=2;s=Filler.Outfeed", "value": 4294967200,
         "eventScripts": [{"eventid": "valueChanged", "script": COUNTER_SCRIPT}]},
    ])
    gw.settle()
    history = []
    for reading in (4294967290, 5, 105, 3, 53, None, 60):
        gw.clock.advance(60)
        if reading is None:
            gw.update("[default]Demo/Filler/Counter", 53, "Bad_NotConnected")
        else:
            gw.update("[default]Demo/Filler/Counter", reading)
        produced = gw.read("[default]Demo/Filler/Produced")
        history.append([produced.value, produced.timestamp])
    return {"produced": gw.read("[default]Demo/Filler/Produced").value, "history": history}
