"""The REST/JSON face, shaped after NetSuite's record API (work order in, completion out).

In: a `workOrder` record as JSON (externalId, assemblyItem, quantity, units, startDate, endDate,
priority, revision, status, item.items = components with operationSequenceNumber,
operation.items = routing steps) is mapped to the same work-order record as B2MML and applied by
`mes.erpinbound.receive_record` (same idempotency, same checks, same error table).

Out: `completion(...)` builds a `workOrderCompletion` body for
POST /services/rest/record/v1/workOrder/eid:<wo>/!transform/workOrderCompletion with
completedQuantity, scrapQuantity, isBackflush (true when the operation has backflushed components,
which the ERP then consumes itself), startOperation/endOperation = the operation sequence, the
lots actually consumed as component lines with inventory assignments, labour minutes on the
operation line, and rework and quality results in `custbody_genba_*` custom fields (NetSuite has
no standard field for them). The idempotency key travels as X-NetSuite-Idempotency-Key.
"""
from __future__ import absolute_import, division, print_function

import hashlib
import json

__all__ = ["completion", "completion_path", "read_work_order", "receive_work_order"]

_RELEASED = ("B", "D", "Released", "In Process")


def _ref(value):
    if isinstance(value, dict):
        for key in ("externalId", "refName", "id"):
            if value.get(key) not in (None, ""):
                return mes.compat.text(value[key])
        return None
    return None if value in (None, "") else mes.compat.text(value)


def _items(value):
    if isinstance(value, dict):
        return value.get("items") or []
    return value or []


def _positive(value, where):
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise mes.erpschedule.BadValue("%s has the quantity %r, which is not a number." % (where, value))
    if number <= 0 or number != number or number == float("inf"):
        raise mes.erpschedule.BadValue("%s has the quantity %r; quantities must be greater than 0." % (where, value))
    return int(number) if number == int(number) else number


def read_work_order(body):
    """A NetSuite-like workOrder dict -> the work-order record mes.erpinbound applies."""
    if not isinstance(body, dict):
        raise mes.erpschedule.MissingElement("The work order body is not a JSON object.")
    wo_id = _ref(body.get("externalId")) or _ref(body.get("tranId"))
    if not wo_id:
        raise mes.erpschedule.MissingElement("The work order has no externalId or tranId.")
    where = "Work order %r" % wo_id
    status = _ref(body.get("status"))
    if status is not None and status not in _RELEASED:
        raise mes.erpschedule.BadValue("%s has the status %r; only released orders go to the MES." % (where, status))
    item = _ref(body.get("assemblyItem"))
    if not item:
        raise mes.erpschedule.MissingElement("%s has no assemblyItem." % where)
    unit = _ref(body.get("units"))
    if not unit:
        raise mes.erpschedule.MissingElement("%s has no units." % where)
    x = mes.erpxml
    start = x.parse_time(body.get("startDate"), "%s startDate" % where)
    end = x.parse_time(body.get("endDate"), "%s endDate" % where)
    if start is not None and end is not None and end < start:
        raise mes.erpschedule.BadValue("%s ends (%s) before it starts (%s)." % (where, body.get("endDate"), body.get("startDate")))
    operations = []
    for step in _items(body.get("operation")):
        seq = _ref(step.get("operationSequence"))
        if not seq:
            raise mes.erpschedule.MissingElement("An operation of %s has no operationSequence." % where.lower())
        if seq in [o["op_seq"] for o in operations]:
            raise mes.erpschedule.BadValue("%s operation %r appears twice in the routing." % (where, seq))
        run = step.get("runTime")
        operations.append({"op_seq": seq, "segment_id": _ref(step.get("operationName")),
                           "work_center": _ref(step.get("manufacturingWorkCenter")),
                           "duration_s": None if run is None else float(run) * 60,
                           "start_ms": None, "end_ms": None})
    if not operations:
        raise mes.erpschedule.MissingElement("%s has no operation lines (its routing)." % where)
    materials = []
    for line in _items(body.get("item")):
        component = _ref(line.get("item"))
        if not component:
            raise mes.erpschedule.MissingElement("A component line of %s has no item." % where.lower())
        seq = _ref(line.get("operationSequenceNumber")) or operations[0]["op_seq"]
        if seq not in [o["op_seq"] for o in operations]:
            raise mes.erpschedule.BadValue("%s component %r names the unknown operation %r." % (where, component, seq))
        materials.append({"op_seq": seq, "item_id": component,
                          "quantity": _positive(line.get("quantity"), "%s component %r" % (where, component)),
                          "uom": _ref(line.get("units")), "lot_id": None})
        if not materials[-1]["uom"]:
            raise mes.erpschedule.MissingElement("%s component %r has no units." % (where, component))
    priority = body.get("priority")
    wo = {"wo_id": wo_id, "revision": _ref(body.get("revision")) or "1",
          "priority": None if priority is None else int(priority),
          "start_ms": start, "end_ms": end, "item_id": item,
          "quantity": _positive(body.get("quantity"), where), "uom": unit,
          "operations": operations, "materials": materials}
    return {"kind": "schedule", "version": "REST", "message_id": None, "schedule_id": None,
            "work_orders": [wo], "items": [], "lots": []}


def receive_work_order(body, message_id=None):
    """Apply a workOrder (JSON text or dict); same result dict as mes.erpinbound.receive."""
    text = body if isinstance(body, mes.compat.string_types + (bytes,)) else json.dumps(body, sort_keys=True)
    raw = text if isinstance(text, bytes) else mes.compat.text(text).encode("utf-8")
    digest = hashlib.sha256(raw).hexdigest()
    try:
        data = json.loads(raw.decode("utf-8")) if not isinstance(body, dict) else body
    except ValueError as exc:
        err = mes.erpschedule.MissingElement("The work order body is not valid JSON: %r." % mes.compat.text(exc))
        return mes.erpinbound._reject(digest, message_id, "rest", err, raw, "")
    try:
        record = read_work_order(data)
    except mes.errors.MesError as err:
        return mes.erpinbound._reject(digest, message_id, "rest", err, raw, "")
    except (TypeError, ValueError, AttributeError, KeyError, IndexError) as exc:  # a field of the wrong JSON type
        err = mes.erpschedule.BadValue("The work order body has a field of the wrong type (%s)." % type(exc).__name__)
        return mes.erpinbound._reject(digest, message_id, "rest", err, raw, "")
    return mes.erpinbound.receive_record(record, digest, "rest", message_id, "", raw)


def completion_path(wo_id):
    """The record-API path a completion of `wo_id` is posted to."""
    return "/services/rest/record/v1/workOrder/eid:%s/!transform/workOrderCompletion" % wo_id


def completion(message_id, wo, op, done):
    """The workOrderCompletion body for one completion (`done` as built by mes.erpperformance)."""
    components = []
    for m in done["materials"]:
        if m["method"] != "actual":
            continue
        line = {"item": {"externalId": m["item_id"]}, "quantity": m["quantity"], "units": m["uom"],
                "operationSequenceNumber": op["op_seq"]}
        if m["lot_id"]:
            line["componentInventoryDetail"] = {"inventoryAssignment": {"items": [
                {"issueInventoryNumber": m["lot_id"], "quantity": m["quantity"]}]}}
        components.append(line)
    minutes = sum(l["hours"] for l in done["labor"]) * 60
    body = {"externalId": message_id, "createdFrom": {"externalId": wo["wo_id"]},
            "item": {"externalId": wo["item_id"]},
            "quantity": done["good"] if op["last"] else 0,
            "completedQuantity": done["good"], "scrapQuantity": done["scrap"],
            "isBackflush": any(m["method"] == "backflush" for m in done["materials"]),
            "startOperation": {"refName": op["op_seq"]}, "endOperation": {"refName": op["op_seq"]},
            "component": {"items": components},
            "operation": {"items": [{"operationSequence": op["op_seq"], "completedQuantity": done["good"],
                                     "laborRunTime": round(minutes, 3)}]},
            "custbody_genba_rework": done["rework"],
            "custbody_genba_quality": [dict((k, q[k]) for k in ("test_id", "result", "value", "uom"))
                                       for q in done["quality"]]}
    if done.get("produced_lot") and op["last"]:
        body["inventoryDetail"] = {"inventoryAssignment": {"items": [
            {"receiptInventoryNumber": done["produced_lot"], "quantity": done["good"]}]}}
    return body
