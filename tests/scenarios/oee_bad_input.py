"""Bad input: counter rollover and reset, bad-quality state, unknown code, frozen counter, no rate.

Calendar Early 06:00-14:00; rate 200/min for product Cola only. Minutes from 06:00:
  0  Outfeed reads 4294967000 when the machine is configured (the baseline, near the 32-bit
     wrap); work order WO-1 (Cola); State 1
  5  Outfeed 4294967290 (+290)       6  Outfeed 10 (rollover: +16)
  10 State 1 with quality Bad_NotConnected -> unknown    15 State 1 Good
  20 State 42 (not in the table) -> unknown, warning    22 State 1
  25 Outfeed 4 (a drop of 6: PLC reset, +4)
  30-40 running, no counts: at 35 CounterFrozen is True (limit 60 s); 40 Outfeed 100 (+96);
     at 40.5 it is False (30 s since the count); at 60 True again (10 min since the last count)
  45 work order WO-2 (Water, no ideal rate)   50 Outfeed 200 (+100, for WO-2)
WO-1 (0-45): running 10+5+23 = 38 min, unknown 5+2 = 7 min (ADET), PBT 45 min;
PQ = 290+16+4+96 = 406; A = 38/45; P = 406 x 0.3 s / 2280 s = 121.8/2280; Q = 1.
Whole window 0-60: Water has counts and no rate -> missing_ideal_rate, shown in the Status tag.
"""
from __future__ import absolute_import, division, print_function

import copy

import io
import os

PROJECT = "project"
_HELPER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_oee_timeline.py")
with io.open(_HELPER, encoding="utf-8") as _handle:
    exec(compile(_handle.read(), _HELPER, "exec"))



def run(gw):
    c = copy.deepcopy(CONFIG)
    c["machines"][0]["rates"] = [{"product": "Cola", "operation": "*", "rate_per_min": 200.0}]
    m = MACHINE
    gw.update(m + "OutfeedCount", 4294967000)
    gw.call("mes.oeeconfig.configure", c)
    gw.call("mes.oeerecord.set_context", "Line1/Filler", "WO-1", "Cola", "10")
    steps = [(0, "State", 1, None),
             (5, "OutfeedCount", 4294967290, None), (6, "OutfeedCount", 10, None),
             (10, "State", 1, "Bad_NotConnected"), (15, "State", 1, None), (20, "State", 42, None),
             (22, "State", 1, None), (25, "OutfeedCount", 4, None), (35, None, None, None),
             (40, "OutfeedCount", 100, None), (40.5, None, None, None), (45, "WO-2", None, None),
             (50, "OutfeedCount", 200, None), (60, None, None, None)]
    elapsed = 0
    frozen = []
    for minute, member, value, quality in steps:
        gw.clock.advance((minute - elapsed) * 60)
        elapsed = minute
        if member == "WO-2":
            gw.call("mes.oeerecord.set_context", "Line1/Filler", "WO-2", "Water", "10")
        elif member is None:
            gw.call("mes.oeelive.refresh")
            frozen.append(gw.read("[default]OEE/Line1/Filler/CounterFrozen").value)
        else:
            gw.update(m + member, value, quality)
    wo1 = gw.call("mes.oeelive.work_order_kpis", "Line1/Filler", "WO-1")
    try:
        gw.call("mes.oeelive.machine_kpis", "Line1/Filler", START_MS,
                START_MS + 60 * 60000)
        window_error = None
    except Exception as error:
        window_error = getattr(error, "code", type(error).__name__)
    counts = gw.call("mes.oeerecord.query", "SELECT work_order, pq FROM oee_count_intervals "
                     "ORDER BY id", [])
    return {"wo1": dict((k, wo1[k]) for k in ("A", "P", "Q", "PQ", "APT", "ADET", "PBT")),
            "wo1_unknown_ms": wo1["buckets"]["unknown"],
            "frozen": frozen, "window_error": window_error,
            # the message quotes values with %r, which Jython prints as u'...': compare the gist
            "status_names_rate_and_product": [
                word in gw.read("[default]OEE/Line1/Filler/Status").value
                for word in ("Ideal rate None", "Line1/Filler", "Water", "oee_ideal_rates")],
            "counts": [[r["work_order"], r["pq"]] for r in counts]}
