"""Point-of-use consumption by scan: a GS1 DataMatrix label with a count, a plain lot label taking
what the BOM line still needs, a small lot used up (status consumed), then production reported and
the variance of actual against standard consumption for the ERP."""
from __future__ import absolute_import, division, print_function

import os
import sys

PROJECT = "project"
START = "2026-01-05T06:00:00"
GS = u"\x1d"

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
import material_world as world  # noqa: E402


def run(gw):
    world.setup(gw)
    world.released_lot(gw, "RESIN-A", "L-100", 100.0, "KG", "2026-06-30")
    world.released_lot(gw, "RESIN-A", "L-101", 5.0, "KG", "2026-03-31")
    gw.call("mes.bom.set_lines", "WO-1001", [
        {"line_no": 10, "item_id": "RESIN-A", "qty_per": 0.25, "qty_required": 25.0, "uom": "KG",
         "op_seq": 10, "station": "PRESS-1"},
        {"line_no": 20, "item_id": "SCREW-M3", "qty_per": 4, "uom": "EA", "op_seq": 10,
         "consumption_mode": "backflush"},
    ], "eve")
    gw.call("mes.material.open_output", "WO-1001", "HOUSING", "H-1001", "ann", "lot", "EA")
    used = []
    gw.clock.advance(600)
    used.append(gw.call("mes.material.consume", "WO-1001",
                        u"]d2" + u"0109501101530003" + u"17260630" + u"10L-100" + GS + u"3010", "PRESS-1", "ann"))
    gw.clock.advance(600)
    used.append(gw.call("mes.material.consume", "WO-1001", "L-100", "PRESS-1", "ann"))
    gw.clock.advance(600)
    used.append(gw.call("mes.material.consume", "WO-1001", "(01)09501101530003(10)L-101", "PRESS-1", "ann", 5.0))
    for entry in used:
        entry.pop("edge_id")
    gw.call("mes.material.report_production", "WO-1001", 100.0, "ann")
    lots = [gw.call("mes.lot.get", name, "RESIN-A") for name in ("L-100", "L-101")]
    lines = gw.call("mes.bom.lines", "WO-1001")
    trace = gw.call("mes.genealogy.trace", "H-1001", None, None, "backward", edges=True)
    audit = gw.call("mes.audit.history", "WO-1001")
    return {
        "consumed": used,
        "lots": [[lot["lot_no"], lot["status"], lot["qty"]] for lot in lots],
        "lines": [[line["line_no"], line["consumed"], line["remaining"]] for line in lines],
        "variance": gw.call("mes.bom.variance", "WO-1001"),
        "trace": world.trace_summary(trace),
        "edge_times": [edge["at"] for edge in trace["edges"]],
        "edge_operators": sorted(set(edge["operator"] for edge in trace["edges"])),
        "audit_actions": [row["action"] for row in audit],
    }
