"""Constraint-based line OEE: Filler (constraint, 200/min) feeds the Palletizer (output, 260/min).

Window 06:00-08:00 (0-120 min) inside the Early shift, no break in it.
Filler: running 0-100, fault 100-120 (20 min); outfeed 19000 at minute 119.
Palletizer: running 0-120; outfeed 18500, reject 185 at minute 119.
Filler: A = 100/120 = 0.8333..; P = 19000 x 0.3 s / 6000 s = 0.95; Q = 1; OEE = 0.7916..
Line (constraint = Filler, output = Palletizer): A = 100/120; P = 18500 x 0.3 s / 6000 s
= 0.925; Q = 18315/18500 = 0.99; OEE = 18315 x 0.3 s / 7200 s = 5494.5/7200 = 0.763125.
"""
from __future__ import absolute_import, division, print_function

import copy

import io
import os

PROJECT = "project"
_HELPER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_oee_timeline.py")
with io.open(_HELPER, encoding="utf-8") as _handle:
    exec(compile(_handle.read(), _HELPER, "exec"))

PALLETIZER = "[default]Genba/Plant1/Packaging/Line1/Palletizer/"


def config():
    c = copy.deepcopy(CONFIG)
    c["lines"][0]["output"] = "Line1/Palletizer"
    c["machines"].append({
        "machine_id": "Line1/Palletizer", "line_id": "Line1",
        "source_path": "Genba/Plant1/Packaging/Line1/Palletizer",
        "oee_path": "[default]OEE/Line1/Palletizer", "state_table": "Default",
        "short_stop_s": 120, "sequence": 9,
        "rates": [{"product": "*", "operation": "*", "rate_per_min": 260.0}]})
    return c


def run(gw):
    gw.call("mes.oeeconfig.configure", config())
    filler = [(0, "OutfeedCount", 0), (0, "State", 1), (100, "FaultCode", 7), (100, "State", 5),
              (119, "OutfeedCount", 19000)]
    pal = [(0, "OutfeedCount", 0), (0, "RejectCount", 0), (0, "State", 1),
           (119, "OutfeedCount", 18500), (119, "RejectCount", 185)]
    merged = sorted([(m, MACHINE + k, v) for m, k, v in filler] +
                    [(m, PALLETIZER + k, v) for m, k, v in pal], key=lambda e: e[0])
    elapsed = 0
    for minute, path, value in merged:
        gw.clock.advance((minute - elapsed) * 60)
        elapsed = minute
        gw.update(path, value)
    gw.clock.advance((120 - elapsed) * 60)
    end = START_MS + 120 * 60000
    line = gw.call("mes.oeelive.line_kpis", "Line1", START_MS, end)
    filler_k = gw.call("mes.oeelive.machine_kpis", "Line1/Filler", START_MS, end)
    gw.call("mes.oeelive.refresh")
    keys = ("A", "P", "Q", "OEE", "PQ", "GQ", "APT", "PBT")
    return {"line": dict((k, line[k]) for k in keys + ("constraint", "output")),
            "filler": dict((k, filler_k[k]) for k in keys),
            "line_tags": dict((n, gw.read("[default]OEE/Line1/Line/" + n).value)
                              for n in ("OEE", "Good", "Total", "Constraint"))}
