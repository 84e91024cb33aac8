"""Shared by the OEE scenarios (executed into each one's namespace, not a scenario itself):
the filler's configuration, the device tag paths, and the timeline player."""
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
