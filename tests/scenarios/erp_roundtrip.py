"""Round trip with the ERP: material master and a schedule in, production, performance out.

The material master arrives through the gateway message handler, the V0600 schedule through the
file-drop folder (timer event). Two operations complete with actual and backflushed consumption,
labour and quality results. The result holds the outbox documents and the database rows they must
agree with; the test validates the documents against MESA's XSD and compares the numbers.
Runs on CPython and Jython (no HTTP: the outbox is read, not sent).
"""
from __future__ import absolute_import, division, print_function

import io
import os
import shutil
import tempfile

PROJECT = "project"
START = "2026-01-05T06:00:00"
CASES = os.path.join("tests", "cases", "erp")


def _read(name):
    with io.open(os.path.join(CASES, name), encoding="utf-8") as handle:
        return handle.read()


def _rows(gw, sql, args=None):
    result = []
    for row in gw.system.db.runPrepQuery(sql, args or []):
        result.append([row[i] for i in range(len(row))])
    return result


def _setting(gw, name, value):
    gw.system.db.runPrepUpdate("INSERT INTO erp_settings (name, value) VALUES (?, ?)", [name, value])


def run(gw):
    drop = tempfile.mkdtemp(prefix="genba-erp-drop-")
    try:
        _setting(gw, "inbound.drop_folder", drop)
        material = gw.system.util.sendRequest("genba", "erpDocument", {"document": _read("material_v0600.xml")})
        with io.open(os.path.join(drop, "schedule-0001.xml"), "w", encoding="utf-8") as handle:
            handle.write(_read("schedule_v0600.xml"))
        gw.clock.advance(10)
        imported = sorted(os.listdir(os.path.join(drop, "processed")))
        gw.clock.advance(60)
        first = gw.call("mes.erpperformance.record_completion", "WO-1001", "10", 190, 6, 4,
                        [{"item_id": "RM-PREFORM", "lot_id": "LOT-PF-001", "quantity": 1180}],
                        [{"person_id": "op-7", "hours": 4.5}],
                        [{"test_id": "FillLevel", "result": "pass", "value": 1001.5, "uom": "ML"}],
                        None, None, None, "op-7")
        gw.clock.advance(3600)
        second = gw.call("mes.erpperformance.record_completion", "WO-1001", "20", 188, 2, 0,
                         [], [{"person_id": "op-9", "hours": 2.0}], [], "FG-LOT-0105")
    finally:
        shutil.rmtree(drop, ignore_errors=True)
    outbox = _rows(gw, "SELECT kind, msg_key, message_id, status, payload FROM erp_outbox_messages ORDER BY id")
    return {
        "material": material["status"], "imported": imported,
        "work_orders": _rows(gw, "SELECT wo_id, revision, item_id, quantity, status FROM erp_work_orders"),
        "completions": _rows(gw, "SELECT id, wo_id, op_seq, good, scrap, rework, produced_lot, start_ms, end_ms "
                                 "FROM erp_completions ORDER BY id"),
        "completion_ids": [first, second],
        "materials": _rows(gw, "SELECT completion_id, item_id, lot_id, quantity, uom, method FROM erp_completion_materials "
                               "ORDER BY completion_id, line"),
        "labor": _rows(gw, "SELECT completion_id, person_id, hours FROM erp_completion_labor ORDER BY completion_id, line"),
        "results": _rows(gw, "SELECT completion_id, test_id, result, value FROM erp_completion_results "
                             "ORDER BY completion_id, line"),
        "outbox": [row[:4] for row in outbox],
        "documents": [row[4] for row in outbox],
    }
