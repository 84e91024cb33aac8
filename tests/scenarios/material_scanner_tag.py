"""A station scanner drives consumption: each read on the press's LastScan tag is checked against
the operation running at that station by the operator signed in there. A good label is consumed;
a wrong one is refused and logged with its reason without touching material; an empty no-read is
ignored; reading the same label again (new timestamp, same value) consumes again."""
from __future__ import absolute_import, division, print_function

import os
import sys

PROJECT = "project"
START = "2026-01-05T06:00:00"

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
import material_world as world  # noqa: E402

SCANNER = "[default]Genba/Plant1/Assembly/Line2/Press/LastScan"


def run(gw):
    world.setup(gw)
    gw.call("mes.workcenter.define", "eve", "PRESSING", "Press work center")
    gw.call("mes.workcenter.define_station", "eve", "PRESS-1", "PRESSING", "Line 2 press",
            "[default]Genba/Plant1/Assembly/Line2/Press")
    now = gw.system.date.now()
    gw.system.db.runPrepUpdate(
        "INSERT INTO work_orders (wo_id, item_id, item_revision, qty_released, due_date, priority, status, released_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", ["WO-7001", "HOUSING", "A", 100.0, now, 500, "in_progress", now])
    gw.system.db.runPrepUpdate(
        "INSERT INTO wo_operations (wo_id, op_seq, work_center_id, setup_minutes, run_minutes_per_unit, optional, status, "
        "station_id, started_by, started_at, qty_good, qty_scrap, qty_rework) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        ["WO-7001", 10, "PRESSING", 0.0, 1.0, False, "in_progress", "PRESS-1", "ann", now, 0.0, 0.0, 0.0])
    gw.call("mes.security.sign_in", "ann", "ann-pass", "PRESS-1")
    world.released_lot(gw, "RESIN-A", "R-77", 20.0, "KG", "2026-06-30")
    world.released_lot(gw, "RESIN-B", "RB-77", 20.0, "KG", "2026-06-30")
    gw.call("mes.bom.set_lines", "WO-7001", [{"line_no": 10, "item_id": "RESIN-A", "qty_per": 0.25, "uom": "KG",
                                             "op_seq": 10, "station": "PRESS-1"}], "eve")
    gw.call("mes.material.open_output", "WO-7001", "HOUSING", "H-7001", "ann", "lot", "EA")
    reads = [u"(01)09501101530003(10)R-77(30)4", u"(01)09501101530010(10)RB-77(30)4", u"",
             u"(01)09501101530003(10)R-77(30)4", u"R-77(30)"]
    snapshots = []
    for barcode in reads:
        gw.clock.advance(5)
        before = world.db_snapshot(gw)
        gw.update(SCANNER, barcode)
        snapshots.append(world.db_snapshot(gw) == before)
    scans = gw.call("mes.scanpoint.recent", "PRESS-1")
    ignored = gw.system.db.runPrepQuery("SELECT COUNT(*) FROM material_scans WHERE outcome = ?", ["ignored"])[0][0]
    return {
        "material_unchanged_per_read": snapshots,
        "scans_newest_first": [[s["barcode"], s["outcome"], s["error_code"], s["wo_id"], s["operator"], s["at"]] for s in scans],
        "refusal_message": [s["message"] for s in scans if s["outcome"] == "rejected"],
        "ignored": ignored,
        "lot_after": gw.call("mes.lot.get", "R-77", "RESIN-A")["qty"],
        "trace": world.trace_summary(gw.call("mes.genealogy.trace", "H-7001", edges=True)),
    }
