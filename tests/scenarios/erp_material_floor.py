"""Material from the ERP on the floor: a B2MML material document books its lots into the material
model and a schedule stores its order's BOM lines (mes.bom), each in the document's transaction.

Then, on the order the ERP sent: a lot from the document is scanned at the station and consumed
(point-of-use check against the BOM lines), a lot of an item the order does not use is refused, a
quarantined lot is refused, the backflushed caps are deducted at completion (mes.bom.backflush),
and the completion goes to the outbox once. Runs on CPython and Jython.
"""
from __future__ import absolute_import, division, print_function

import io
import os

PROJECT = "project"
START = "2026-01-05T06:00:00"

_HELPER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_erp_floor.py")
with io.open(_HELPER, encoding="utf-8") as _handle:
    exec(compile(_handle.read(), _HELPER, "exec"))

EXTRA = """
      <MaterialDefinition>
        <ID>RM-LABEL</ID>
        <Description>Bottle label</Description>
        <MaterialDefinitionProperty><ID>UnitOfMeasure</ID><Value><ValueString>EA</ValueString></Value></MaterialDefinitionProperty>
      </MaterialDefinition>
      <MaterialLot>
        <ID>LOT-LB-001</ID>
        <MaterialDefinitionID>RM-LABEL</MaterialDefinitionID>
        <Status>released</Status>
        <Quantity><QuantityString>900</QuantityString><UnitOfMeasure>EA</UnitOfMeasure></Quantity>
      </MaterialLot>
      <MaterialLot>
        <ID>LOT-CAP-001</ID>
        <MaterialDefinitionID>RM-CAP</MaterialDefinitionID>
        <Status>released</Status>
        <Quantity><QuantityString>2000</QuantityString><UnitOfMeasure>EA</UnitOfMeasure></Quantity>
      </MaterialLot>
      <MaterialLot>
        <ID>LOT-PF-002</ID>
        <MaterialDefinitionID>RM-PREFORM</MaterialDefinitionID>
        <Status>quarantine</Status>
        <Quantity><QuantityString>800</QuantityString><UnitOfMeasure>EA</UnitOfMeasure></Quantity>
      </MaterialLot>
    </MaterialInformation>"""


def _attempt(gw, fn, *args):
    try:
        result = gw.call(fn, *args)
    except Exception as error:  # noqa: BLE001 - a refused scan is a result here
        return ["refused", getattr(error, "code", None) or type(error).__name__]
    return ["ok", result]


def _lots(gw):
    found = []
    for lot_no, item_id in (("LOT-PF-001", "RM-PREFORM"), ("LOT-PF-002", "RM-PREFORM"), ("LOT-CAP-001", "RM-CAP"),
                            ("LOT-LB-001", "RM-LABEL")):
        lot = gw.call("mes.lot.get", lot_no, item_id)
        found.append([lot_no, lot["status"], lot["qty"]])
    return found


def run(gw):
    build_floor(gw)  # noqa: F821 - from _erp_floor
    material = gw.call("mes.erpinbound.receive", read_case("material_v0600.xml").replace("</MaterialInformation>", EXTRA),  # noqa: F821 - from _erp_floor
                       "scenario")
    schedule = gw.call("mes.erpinbound.receive", read_case("schedule_v0600.xml"), "scenario")  # noqa: F821 - from _erp_floor
    received = _lots(gw)
    bom = [[l["line_no"], l["item_id"], l["qty_per"], l["qty_required"], l["consumption_mode"], l["op_seq"]]
           for l in gw.call("mes.bom.lines", "WO-1001")]
    gw.call("mes.security.sign_in", "ana", "ana-pw", "FILL-1")
    gw.call("mes.operation.start", "ana", "FILL-1", "WO-1001", 10)
    gw.call("mes.material.open_output", "WO-1001", "FG-100", "FG-LOT-0105", "ana")
    scans = []
    for barcode, qty in (("LOT-LB-001", 100), ("LOT-PF-002", 100), ("LOT-CAP-001", 100), ("LOT-PF-001", 1190)):
        outcome = _attempt(gw, "mes.material.consume", "WO-1001", barcode, "FILL-1", "ana", qty)
        if outcome[0] == "ok":
            outcome = ["ok", outcome[1]["code"], outcome[1]["qty"], outcome[1]["line_no"]]
        scans.append([barcode] + outcome)
    gw.clock.advance(3600)
    backflushed = gw.call("mes.bom.backflush", "WO-1001", 10, 190, "ana")
    gw.call("mes.operation.complete", "ana", "FILL-1", "WO-1001", 10, 190, 6, 0)
    outbox = [[m["key"], m["status"]] for m in gw.call("mes.outbox.messages")]
    reported = [[r[i] for i in range(len(r))] for r in gw.system.db.runPrepQuery(
        "SELECT item_id, lot_id, quantity, method FROM erp_completion_materials ORDER BY line", [])]
    return {
        "documents": [material["status"], material["lots"], schedule["status"]],
        "received": received, "bom": bom, "scans": scans,
        "backflushed": [[m["lot"], m["item_id"], m["qty"]] for m in backflushed],
        "after": _lots(gw),
        "variance": [[l["item_id"], l["standard"], l["actual"]] for l in gw.call("mes.bom.variance", "WO-1001", 190)["lines"]],
        "outbox": outbox, "reported": reported,
    }
