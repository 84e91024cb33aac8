"""Backflush at completion: screws staged at the station are deducted first-expiring first for
qty_per x good quantity; an expired or held lot is skipped; a shortage refuses the whole backflush
and changes nothing; the variance report then compares actual with standard."""
from __future__ import absolute_import, division, print_function

import os
import sys

PROJECT = "project"
START = "2026-01-05T06:00:00"

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
import material_world as world  # noqa: E402


def run(gw):
    world.setup(gw)
    world.released_lot(gw, "SCREW-M3", "S-LATE", 500.0, "EA", "2026-12-31", "ASSY-1")
    world.released_lot(gw, "SCREW-M3", "S-EARLY", 150.0, "EA", "2026-02-28", "ASSY-1")
    world.released_lot(gw, "SCREW-M3", "S-NODATE", 1000.0, "EA", None, "ASSY-1")
    world.released_lot(gw, "SCREW-M3", "S-OLD", 900.0, "EA", "2026-01-04", "ASSY-1")
    world.released_lot(gw, "SCREW-M3", "S-HELD", 900.0, "EA", "2026-01-31", "ASSY-1")
    gw.call("mes.lot.set_status", "S-HELD", "SCREW-M3", "hold", "ann", "supplier recall")
    world.released_lot(gw, "SCREW-M3", "S-ELSEWHERE", 900.0, "EA", "2026-01-10", "STORES")
    gw.call("mes.bom.set_lines", "WO-3001", [
        {"line_no": 10, "item_id": "SCREW-M3", "qty_per": 4, "uom": "EA", "op_seq": 20, "station": "ASSY-1",
         "consumption_mode": "backflush"},
        {"line_no": 20, "item_id": "PCB-100", "qty_per": 1, "uom": "EA", "op_seq": 20, "station": "ASSY-1"},
    ], "eve")
    gw.call("mes.material.open_output", "WO-3001", "CTRL-UNIT", "CU-LOT-1", "ann", "lot", "EA")
    first = gw.call("mes.bom.backflush", "WO-3001", 20, 50, "ann")
    second = gw.call("mes.bom.backflush", "WO-3001", 20, 10, "ann")
    short = world.refused_unchanged(gw, "mes.bom.backflush", "WO-3001", 20, 1000, "ann")
    short.pop("message")
    stock = [[lot, gw.call("mes.lot.get", lot, "SCREW-M3")["qty"], gw.call("mes.lot.get", lot, "SCREW-M3")["status"]]
             for lot in ("S-EARLY", "S-LATE", "S-NODATE", "S-OLD", "S-HELD", "S-ELSEWHERE")]
    return {
        "first": first,
        "second": second,
        "shortage": short,
        "stock": stock,
        "variance": gw.call("mes.bom.variance", "WO-3001", 60),
        "trace": world.trace_summary(gw.call("mes.genealogy.trace", "CU-LOT-1", edges=True)),
    }
