"""ERP work orders on the shop floor, through the dispatch area's own functions.

With the setting `inbound.release` = `dispatch`, an accepted document also, in its transaction:
- defines its material definitions as items (`mes.item.define`: uom, tracking, revision);
- defines the routing of each order's item revision from the order's segments
  (`mes.routing.define`: op sequence must be an integer, the work centre must exist, run minutes
  per unit = segment duration / order quantity) and releases the order (`mes.workorder.release`:
  due date = the order's end, else its start; priority 500 when the ERP gives none).
The ERP acts as the user in `inbound.actor` (default `erp`), who needs the engineer and lead roles.
Anything the floor refuses rejects the whole document with the floor's reason.

`complete_operation(...)` completes a dispatch operation and records the ERP completion (with the
labour the floor booked on that operation since the last report) in one transaction, so the
outbox message exists exactly when the operation is complete.
"""
from __future__ import absolute_import, division, print_function

__all__ = ["complete_operation", "define_items", "enabled", "on_floor", "release"]


class FloorOrderRevised(mes.errors.StateConflict):
    """A new revision of an order already released to the floor."""
    code = "floor_order_revised"


def enabled(tx=None):
    """True when accepted work orders are released to the floor (setting inbound.release)."""
    return mes.erpinbound.setting("inbound.release", "record", tx) == "dispatch"


def _actor(tx):
    return mes.erpinbound.setting("inbound.actor", "erp", tx)


def define_items(items, tx):
    """mes.item.define for each material definition of a document."""
    actor = _actor(tx)
    for item in items:
        mes.item.define(actor, item["item_id"], item["revision"], item["description"], item["uom"],
                        item["tracking"], tx)


def _op_seq(wo_id, op_seq):
    try:
        value = int(op_seq)
    except ValueError:
        value = 0
    if value <= 0 or mes.compat.text(value) != mes.compat.text(op_seq).lstrip("0"):
        raise mes.erpschedule.BadValue("Work order %r operation %r: the floor needs a positive whole "
                                       "op sequence." % (wo_id, op_seq))
    return value


def on_floor(wo_id, tx=None):
    """The floor's work order dict, or None when it is not on the floor."""
    if not enabled(tx):
        return None
    found = system.db.runScalarPrepQuery("SELECT COUNT(*) FROM work_orders WHERE wo_id = ?", [wo_id], "", tx)
    return mes.workorder.get(wo_id, tx) if found else None


def release(wo, tx):
    """Define the routing of the order's item revision and release the order to the floor."""
    actor = _actor(tx)
    if on_floor(wo["wo_id"], tx) is not None:
        raise FloorOrderRevised("Work order %r is already on the floor; a new revision %r needs the floor "
                                "order closed and a new order id." % (wo["wo_id"], wo["revision"]))
    revision = system.db.runScalarPrepQuery("SELECT revision FROM erp_items WHERE item_id = ?", [wo["item_id"]], "", tx)
    ops = []
    for op in wo["operations"]:
        if not op["work_center"]:
            raise mes.erpschedule.MissingElement("Work order %r operation %r has no work centre (EquipmentID)."
                                                 % (wo["wo_id"], op["op_seq"]))
        run = (op["duration_s"] or 0) / 60.0 / float(wo["quantity"])
        ops.append({"op_seq": _op_seq(wo["wo_id"], op["op_seq"]), "work_center_id": op["work_center"],
                    "description": op["segment_id"], "setup_minutes": 0, "run_minutes_per_unit": round(run, 6)})
    mes.routing.define(actor, wo["item_id"], revision, ops, tx)
    due_ms = wo["end_ms"] if wo["end_ms"] is not None else wo["start_ms"]
    due = mes.erpxml.format_time(due_ms)[:19].replace("T", " ") if due_ms is not None else None
    if due is None:
        due = mes.erpxml.format_time(system.date.toMillis(system.date.now()))[:19].replace("T", " ")
    priority = 500 if wo["priority"] is None else wo["priority"]
    return mes.workorder.release(actor, wo["wo_id"], wo["item_id"], revision, float(wo["quantity"]), due, priority, tx)


def _new_labor(wo_id, op_seq, tx):
    booked = {}
    for row in mes.labor.hours(wo_id, tx):
        if row["kind"] == "direct" and row["op_seq"] == int(op_seq):
            booked[row["username"]] = booked.get(row["username"], 0.0) + row["hours"]
    reported = dict((r[0], float(r[1])) for r in system.db.runPrepQuery(
        "SELECT l.person_id, SUM(l.hours) FROM erp_completion_labor l JOIN erp_completions c ON c.id = l.completion_id "
        "WHERE c.wo_id = ? AND c.op_seq = ? GROUP BY l.person_id", [wo_id, mes.compat.text(op_seq)], "", tx))
    lines = []
    for person in sorted(booked):
        hours = round(booked[person] - reported.get(person, 0.0), 6)
        if hours > 0:
            lines.append({"person_id": person, "hours": hours})
    return lines


def complete_operation(username, station_id, wo_id, op_seq, good=0, scrap=0, rework=0, consumed=None,
                       quality=None, produced_lot=None, reason=None, tx=None):
    """mes.operation.complete + the ERP completion of this operation's quantities, in one transaction.

    Returns the ERP completion id, or None for an order the ERP did not send (nothing to report).
    """
    def work(tx):
        op = mes.operation.complete(username, station_id, wo_id, int(op_seq), good, scrap, rework, reason, tx)
        known = system.db.runScalarPrepQuery("SELECT COUNT(*) FROM erp_work_orders WHERE wo_id = ?", [wo_id], "", tx)
        if not known:
            return None
        start = mes.erpxml.parse_time(op["started_at"]) if op.get("started_at") else None
        end = mes.erpxml.parse_time(op["completed_at"]) if op.get("completed_at") else None
        return mes.erpperformance.record_completion(
            wo_id, mes.compat.text(int(op_seq)), good, scrap, rework, consumed, _new_labor(wo_id, op_seq, tx),
            quality, produced_lot, start, end, username, tx)
    return mes.transaction.run(work, tx)
