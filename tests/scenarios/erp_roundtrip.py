"""Round trip with the ERP: material master and a schedule in, production through dispatch,
performance out.

The material master (items and the preform lot LOT-PF-001) arrives through the gateway message
handler, the V0600 schedule through the file-drop folder (timer event); the order is released to
the floor (the default `inbound.release`) with its BOM lines. On the floor: operation 10 runs at
the filler, the preform lot is scanned (point-of-use check) and the operation completes through
mes.erpfloor.complete_operation with a quality result; operation 20 runs at the packer, reports a
part quantity (mes.operation.report) and completes (mes.operation.complete). Each report or
completion enqueues one performance document in its own transaction, with the scanned lots,
backflushed components and the labour booked. The result holds the outbox documents and the
database rows they must agree with. Runs on CPython and Jython (no HTTP: the outbox is read).
"""
from __future__ import absolute_import, division, print_function

import io
import os
import shutil
import tempfile

PROJECT = "project"
START = "2026-01-05T06:00:00"

_HELPER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_erp_floor.py")
with io.open(_HELPER, encoding="utf-8") as _handle:
    exec(compile(_handle.read(), _HELPER, "exec"))


def _rows(gw, sql, args=None):
    result = []
    for row in gw.system.db.runPrepQuery(sql, args or []):
        result.append([row[i] for i in range(len(row))])
    return result


def _setting(gw, name, value):
    gw.system.db.runPrepUpdate("INSERT INTO erp_settings (name, value) VALUES (?, ?)", [name, value])


def run(gw):
    build_floor(gw)  # noqa: F821 - from _erp_floor
    drop = tempfile.mkdtemp(prefix="genba-erp-drop-")
    try:
        _setting(gw, "inbound.drop_folder", drop)
        material = gw.system.util.sendRequest("genba", "erpDocument", {"document": read_case("material_v0600.xml")})  # noqa: F821 - from _erp_floor
        with io.open(os.path.join(drop, "schedule-0001.xml"), "w", encoding="utf-8") as handle:
            handle.write(read_case("schedule_v0600.xml"))  # noqa: F821 - from _erp_floor
        gw.clock.advance(10)
        imported = sorted(os.listdir(os.path.join(drop, "processed")))
    finally:
        shutil.rmtree(drop, ignore_errors=True)
    gw.clock.advance(50)
    gw.call("mes.security.sign_in", "ana", "ana-pw", "FILL-1")
    gw.call("mes.operation.start", "ana", "FILL-1", "WO-1001", 10)
    gw.call("mes.material.open_output", "WO-1001", "FG-100", "FG-LOT-0105", "ana")
    scan = gw.call("mes.material.consume", "WO-1001", "LOT-PF-001", "FILL-1", "ana", 1180)
    gw.clock.advance(4 * 3600 + 1800)
    first = gw.call("mes.erpfloor.complete_operation", "ana", "FILL-1", "WO-1001", "10", 190, 6, 4, None,
                    [{"test_id": "FillLevel", "result": "pass", "value": 1001.5, "uom": "ML"}])
    gw.call("mes.security.sign_in", "ben", "ben-pw", "PACK-1")
    gw.call("mes.operation.start", "ben", "PACK-1", "WO-1001", 20)
    gw.clock.advance(3600)
    gw.call("mes.operation.report", "ben", "PACK-1", "WO-1001", 20, 100, 0, 0)
    gw.clock.advance(3600)
    gw.call("mes.operation.complete", "ben", "PACK-1", "WO-1001", 20, 88, 2, 0)
    floor = [[o["op_seq"], o["status"], o["qty_good"], o["qty_scrap"], o["qty_rework"]]
             for o in gw.call("mes.workorder.operations", "WO-1001")]
    lot = gw.call("mes.lot.get", "LOT-PF-001", "RM-PREFORM")
    outbox = _rows(gw, "SELECT kind, msg_key, message_id, status, payload FROM erp_outbox_messages ORDER BY id")
    second = [r[0] for r in _rows(gw, "SELECT id FROM erp_completions WHERE id > ? ORDER BY id", [first])]
    return {
        "material": material["status"], "imported": imported, "scan": [scan["code"], scan["qty"], scan["line_no"]],
        "floor": floor, "floor_order": gw.call("mes.workorder.get", "WO-1001")["status"],
        "lot": [lot["status"], lot["qty"]],
        "bom": [[l["line_no"], l["item_id"], l["consumed"]] for l in gw.call("mes.bom.lines", "WO-1001")],
        "work_orders": _rows(gw, "SELECT wo_id, revision, item_id, quantity, status FROM erp_work_orders"),
        "completions": _rows(gw, "SELECT id, wo_id, op_seq, good, scrap, rework, produced_lot, start_ms, end_ms "
                                 "FROM erp_completions ORDER BY id"),
        "completion_ids": [first] + second,
        "materials": _rows(gw, "SELECT completion_id, item_id, lot_id, quantity, uom, method FROM erp_completion_materials "
                               "ORDER BY completion_id, line"),
        "labor": _rows(gw, "SELECT completion_id, person_id, hours FROM erp_completion_labor ORDER BY completion_id, line"),
        "results": _rows(gw, "SELECT completion_id, test_id, result, value FROM erp_completion_results "
                             "ORDER BY completion_id, line"),
        "outbox": [row[:4] for row in outbox],
        "documents": [row[4] for row in outbox],
    }
