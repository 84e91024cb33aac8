"""One early shift of the filler, with every kind of loss, checked against hand-computed OEE.

Calendar: Early shift 06:00-14:00 (480 min) with a planned break 10:00-10:30 (min 240-270).
Filler: ideal rate 200/min (PRI 0.3 s), short-stop threshold 120 s, fault 101 -> jam,
fault 202 -> electrical. Minutes from 06:00:

    0-60 running | 60-80 fault 101 (20 min) | 80-150 running | 150-151 stop, no fault (short)
    151-230 running | 230-250 fault 202, fault code arrives after the state; 240-250 is in the
    break | 250-270 planned stop (in the break) | 270-300 running | 300-330 changeover
    330-400 running | 400-410 starved | 410-480 running
    Outfeed: 0 at 0, 40000 at 199, PLC restart -> 0 at 200 (a reset: +0), 30000 at 479
    Reject: 0 at 0, 700 at 479.

Buckets (min): running 60+70+79+30+70+70 = 379, short_stop 1, unplanned 20+10 = 30,
break 30 (fault 240-250 and planned 250-270 fall in it), changeover 30, starved 10; sum 480.
APT = 380, ADET = 30, ADOT = 10, AUST = 30, PBT = 450, PDOT = 30.
PQ = 40000 + 0 + 30000 = 70000, SQ = 700, GQ = 69300.
A = 380/450 = 0.8444..; P = 70000 x 0.3 s = 350 min / 380 min = 0.9210..;
Q = 69300/70000 = 0.99; OEE = (350/450) x 0.99 = 0.77.
Downtime by reason (scheduled time only), Pareto: changeover 30 min, jam 20, electrical 10,
starved 10, unassigned 1 (the short stop). Failures: 60-80 and 230-250 (20 min each):
MTTR = 1200 s, MTBF = 380 min / 2 = 11400 s.
"""
from __future__ import absolute_import, division, print_function

import io
import os

PROJECT = "project"
_HELPER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_oee_timeline.py")
with io.open(_HELPER, encoding="utf-8") as _handle:
    exec(compile(_handle.read(), _HELPER, "exec"))

# (minute, member, value): device-side changes in time order
TIMELINE = [
    (0, "OutfeedCount", 0), (0, "RejectCount", 0), (0, "FaultCode", 0), (0, "State", 1),
    (60, "FaultCode", 101), (60, "State", 5), (80, "State", 1), (80, "FaultCode", 0),
    (150, "State", 5), (151, "State", 1),
    (199, "OutfeedCount", 40000), (200, "OutfeedCount", 0),
    (230, "State", 5), (230, "FaultCode", 202), (250, "FaultCode", 0), (250, "State", 6),
    (270, "State", 1), (300, "State", 7), (330, "State", 1), (400, "State", 3), (410, "State", 1),
    (479, "OutfeedCount", 30000), (479, "RejectCount", 700),
]

def run(gw, restarts=()):
    gw.call("mes.oeeconfig.configure", CONFIG)  # noqa: F821 - from _oee_timeline
    play(gw, TIMELINE, 480, restarts)
    k = gw.call("mes.oeelive.machine_kpis", "Line1/Filler", START_MS, START_MS + 480 * 60000)
    gw.call("mes.oeelive.refresh")
    tags = {}
    for name in ("A", "P", "Q", "OEE", "Good", "Total", "Scrap", "State", "Category", "Shift",
                 "MTBF", "MTTR"):
        tags[name] = gw.read("[default]OEE/Line1/Filler/" + name).value
    result = summary(k)
    result["tags"] = tags
    return result
