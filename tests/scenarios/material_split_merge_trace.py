"""Split and merge are followed by the trace: a resin lot split into a sublot, two lots merged into
a blend lot, both used in different work orders; the recall report of the original lot reaches
every housing made from it, the backward trace of a housing reaches every source lot, and the
depth and fan-out limits cut the walk and say so."""
from __future__ import absolute_import, division, print_function

import os
import sys

PROJECT = "project"
START = "2026-01-05T06:00:00"

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
import material_world as world  # noqa: E402


def _wo(gw, wo_id, output):
    gw.call("mes.bom.set_lines", wo_id, [{"line_no": 10, "item_id": "RESIN-A", "qty_per": 0.5, "uom": "KG",
                                          "op_seq": 10, "station": "PRESS-1"}], "eve")
    gw.call("mes.material.open_output", wo_id, "HOUSING", output, "ann", "lot", "EA")


def run(gw):
    world.setup(gw)
    world.released_lot(gw, "RESIN-A", "R-1", 100.0, "KG", "2026-06-30")
    world.released_lot(gw, "RESIN-A", "R-2", 40.0, "KG", "2026-05-31")
    world.released_lot(gw, "RESIN-A", "BLEND-1", 0.0, "KG", "2026-05-31")
    sub = gw.call("mes.lot.split", "R-1", "RESIN-A", 30.0, "R-1-A", "ann", "PRESS-2")
    gw.clock.advance(60)
    blend = gw.call("mes.lot.merge", ["R-2", "R-1-A"], "BLEND-1", "RESIN-A", "ann")
    _wo(gw, "WO-4001", "H-4001")
    _wo(gw, "WO-4002", "H-4002")
    gw.call("mes.material.consume", "WO-4001", "R-1", "PRESS-1", "ann", 20.0)
    gw.call("mes.material.consume", "WO-4002", "BLEND-1", "PRESS-1", "ann", 25.0)
    gw.call("mes.material.consume", "WO-4002", "R-1", "PRESS-1", "ann", 5.0)
    journal = gw.system.db.runPrepQuery(
        "SELECT u.code, t.kind, t.qty, t.qty_after FROM lot_transactions t JOIN mat_units u ON u.id = t.unit_id "
        "WHERE t.kind IN ('split', 'merge') ORDER BY t.id", [])
    recall = gw.call("mes.genealogy.trace", "R-1", None, "RESIN-A", "forward", edges=True)
    backward = gw.call("mes.genealogy.trace", "H-4002", None, None, "backward", edges=True)
    shallow = gw.call("mes.genealogy.trace", "R-1", None, None, "forward", 1, edges=True)
    capped = gw.call("mes.genealogy.trace", "R-1", None, None, "forward", 10, 3, edges=True)
    return {
        "sublot": [sub["lot_no"], sub["qty"], sub["status"], sub["location"], sub["parent_unit_id"] is not None],
        "blend": [blend["lot_no"], blend["qty"]],
        "sources_after_merge": [[lot, gw.call("mes.lot.get", lot, "RESIN-A")["status"]] for lot in ("R-2", "R-1-A")],
        "journal": [[row[0], row[1], row[2], row[3]] for row in journal],
        "recall": world.trace_summary(recall),
        "backward": world.trace_summary(backward),
        "depth_1": world.trace_summary(shallow),
        "max_nodes_3": world.trace_summary(capped),
    }
