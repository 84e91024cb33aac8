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

START = "2026-01-05T06:00:00"
MACHINE = "[default]Genba/Plant1/Packaging/Line1/Filler/"
CONFIG = {
    "calendars": {"Early": {"utc_offset_minutes": 0, "shifts": [
        {"name": "Early", "start": "06:00", "end": "14:00",
         "breaks": [{"name": "Break", "start": "10:00", "end": "10:30"}]}]}},
    "state_tables": {"Default": {"1": "running", "2": "idle", "3": "starved", "4": "blocked",
                                 "5": "unplanned", "6": "planned", "7": "changeover"}},
    "reasons": [{"code": "mechanical", "name": "Mechanical"},
                {"code": "jam", "parent": "mechanical", "name": "Jam"},
                {"code": "electrical", "name": "Electrical"},
                {"code": "material", "name": "Material"}],
    "faults": {"202": "electrical"},
    "lines": [{"line_id": "Line1", "calendar": "Early", "oee_path": "[default]OEE/Line1/Line",
               "constraint": "Line1/Filler", "output": "Line1/Filler"}],
    "machines": [{"machine_id": "Line1/Filler", "line_id": "Line1",
                  "source_path": "Genba/Plant1/Packaging/Line1/Filler",
                  "oee_path": "[default]OEE/Line1/Filler", "state_table": "Default",
                  "short_stop_s": 120, "frozen_after_s": 60, "sequence": 3,
                  "rates": [{"product": "*", "operation": "*", "rate_per_min": 200.0}],
                  "faults": {"101": "jam"}}]}

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
START_MS = 1767592800000  # 2026-01-05T06:00:00Z, the gateway's start


def play(gw, timeline, until_minute, restarts=()):
    """Advance the clock through the timeline, delivering each change at its minute."""
    pending = sorted(restarts)
    elapsed = 0.0
    for minute, member, value in timeline + [(until_minute, None, None)]:
        while pending and pending[0] <= minute:
            gw.clock.advance(pending[0] * 60 - elapsed)
            elapsed = pending.pop(0) * 60
            restart(gw)
        gw.clock.advance(minute * 60 - elapsed)
        elapsed = minute * 60
        if member is not None:
            gw.update(MACHINE + member, value)


DEVICE_TAGS = ("State", "FaultCode", "InfeedCount", "OutfeedCount", "RejectCount")


def restart(gw):
    """A gateway restart in place; afterwards the device delivers its current values again with
    their source timestamps, as an OPC UA subscription does when it reconnects."""
    device = [(MACHINE + name, gw.read(MACHINE + name)) for name in DEVICE_TAGS]
    gw.restart()
    for path, qv in device:
        gw.update(path, qv.value, None, qv.timestamp)


def summary(k):
    keep = ("A", "P", "Q", "OEE", "PQ", "GQ", "SQ", "RQ", "APT", "ADET", "ADOT", "AUST", "PDOT",
            "PBT", "MTBF_s", "MTTR_s", "performance_over_100")
    out = dict((name, k[name]) for name in keep)
    out["buckets"] = dict((name, k["buckets"][name]) for name in sorted(k["buckets"])
                          if k["buckets"][name])
    out["pareto"] = [[row["reason"], row["duration_ms"], row["events"]] for row in k["pareto"]]
    return out


def run(gw, restarts=()):
    gw.call("mes.oeeconfig.configure", CONFIG)
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
