"""Work orders: release (from the ERP or a lead), hold and release of a hold, completion, closing.

A work order moves released -> in_progress (its first operation starts) -> complete (every
operation complete or skipped) -> closed (a lead closes it). `held` can be entered from released
or in_progress and returns to the state it came from. Holding stops the running operations (they
become `held`, the interlock is cleared and labor is clocked off); releasing the hold turns them
into `paused`, so an operator resumes them deliberately. On release the routing's operations are
copied into the work order together with the work instruction then approved for each one, so later
routing or instruction revisions never change a released work order.
"""
from __future__ import absolute_import, division, print_function

import datetime
import re

__all__ = ["STATUSES", "TRANSITIONS", "UnknownWorkOrder", "WorkOrderHeld", "WorkOrderStarted",
           "check_transition", "close", "get", "hold", "list_orders", "operations",
           "refresh_completion", "release", "release_hold", "revise"]

STATUSES = ("released", "in_progress", "held", "complete", "closed")
TRANSITIONS = {
    "released": ("in_progress", "held"),
    "in_progress": ("held", "complete"),
    "held": ("released", "in_progress"),
    "complete": ("closed",),
    "closed": (),
}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2})?)?$")


class UnknownWorkOrder(mes.errors.NotFound):  # noqa: F821
    """No work order with that id."""
    code = "unknown_work_order"


class WorkOrderHeld(mes.errors.StateConflict):  # noqa: F821
    """The work order is on hold; nothing may start on it."""
    code = "work_order_held"


class WorkOrderStarted(mes.errors.StateConflict):  # noqa: F821
    """The work order has left `released` (an operation started); it can no longer be revised."""
    code = "work_order_started"


def check_transition(wo_id, current, target):
    """Raise StateConflict unless a work order may go from `current` to `target`."""
    if target not in TRANSITIONS.get(current, ()):
        raise mes.errors.StateConflict("Work order %r cannot go from %r to %r." % (  # noqa: F821
            wo_id, current, target))


def _tm():
    return mes.transaction  # noqa: F821


def _due(value):
    if isinstance(value, datetime.datetime):
        return value
    if isinstance(value, mes.compat.string_types) and _DATE.match(value.strip()):  # noqa: F821
        text = value.strip().replace("T", " ")
        for pattern in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
            try:
                return datetime.datetime.strptime(text, pattern)
            except ValueError:
                continue
    raise mes.errors.InvalidInput("A due date must be 'YYYY-MM-DD[ HH:MM[:SS]]', got %r." % (  # noqa: F821
        value,))


def _public(row):
    result = dict(row)
    for key in ("due_date", "released_at", "completed_at", "closed_at"):
        result[key] = _tm().iso(row.get(key))
    result["priority"] = int(row["priority"])
    result["qty_released"] = float(row["qty_released"])
    return result


def get(wo_id, tx=None):
    """The work order as a dict (times as ISO text); raises UnknownWorkOrder."""
    def work(tx):
        found = _tm().one("SELECT wo_id, item_id, item_revision, qty_released, due_date, priority, "
                          "status, status_before_hold, released_at, completed_at, closed_at "
                          "FROM work_orders WHERE wo_id = ?", [wo_id], tx)
        if found is None:
            raise UnknownWorkOrder("Unknown work order %r." % (wo_id,))
        return _public(found)
    return _tm().run(work, tx)


def list_orders(status=None, tx=None):
    """Work orders (optionally of one status) by priority, due date and id."""
    if status is None:
        sql, args = ("SELECT wo_id, item_id, item_revision, qty_released, due_date, priority, "
                     "status, status_before_hold, released_at, completed_at, closed_at "
                     "FROM work_orders ORDER BY priority, due_date, wo_id"), []
    else:
        sql, args = ("SELECT wo_id, item_id, item_revision, qty_released, due_date, priority, "
                     "status, status_before_hold, released_at, completed_at, closed_at "
                     "FROM work_orders WHERE status = ? ORDER BY priority, due_date, wo_id"), [status]
    return _tm().run(lambda tx: [_public(r) for r in _tm().rows(sql, args, tx)], tx)


def operations(wo_id, tx=None):
    """The operations of a work order ordered by op_seq (see mes.operation.get for the keys)."""
    def work(tx):
        get(wo_id, tx)
        return mes.operation.list_for(wo_id, tx)  # noqa: F821
    return _tm().run(work, tx)


def _check_order(wo_id, qty, due_date, priority):
    """Check the id, quantity and priority of an order; return the due date as a datetime."""
    if not isinstance(wo_id, mes.compat.string_types) or not wo_id.strip():  # noqa: F821
        raise mes.errors.InvalidInput("A work order id must be non-blank text, got %r." % (wo_id,))  # noqa: F821
    if isinstance(qty, bool) or not isinstance(qty, (float,) + mes.compat.integer_types) or qty <= 0:  # noqa: F821
        raise mes.errors.InvalidInput("Work order %r: the quantity must be a positive number, "  # noqa: F821
                                      "got %r." % (wo_id, qty))
    if isinstance(priority, bool) or not isinstance(priority, mes.compat.integer_types) or \
            not 1 <= priority <= 999:  # noqa: F821
        raise mes.errors.InvalidInput("Work order %r: priority must be an integer 1..999, got %r."  # noqa: F821
                                      % (wo_id, priority))
    return _due(due_date)


def _copy_operations(wo_id, item_id, item_revision, ops, tx):
    """Insert the routing's operations into the order with the instructions approved now."""
    pinned = {}
    for op in ops:
        instruction = mes.guidance.current(item_id, item_revision, op["op_seq"], tx)  # noqa: F821
        pinned[str(op["op_seq"])] = instruction
        _tm().update("INSERT INTO wo_operations (wo_id, op_seq, work_center_id, description, "
                     "setup_minutes, run_minutes_per_unit, parallel_group, optional, status, "
                     "qty_good, qty_scrap, qty_rework, instruction_id) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     [wo_id, op["op_seq"], op["work_center_id"], op["description"],
                      op["setup_minutes"], op["run_minutes_per_unit"], op["parallel_group"],
                      op["optional"], "released", 0.0, 0.0, 0.0, instruction], tx)
    return pinned


def release(actor, wo_id, item_id, item_revision, qty, due_date, priority=500, tx=None):
    """Release a work order to the floor (lead role; the ERP connects as such a user).

    Args:
        qty: the released quantity (> 0) in the item's unit.
        due_date: 'YYYY-MM-DD[ HH:MM[:SS]]' (UTC) or a datetime.
        priority: 1 (most urgent) .. 999; queues order by priority, then due date.
    Returns the work order dict.
    """
    due = _check_order(wo_id, qty, due_date, priority)

    def work(tx):
        mes.security.require_role(actor, "lead", tx)  # noqa: F821
        if _tm().one("SELECT wo_id FROM work_orders WHERE wo_id = ?", [wo_id], tx) is not None:
            raise mes.errors.StateConflict("Work order %r was released already." % (wo_id,))  # noqa: F821
        mes.item.get(item_id, item_revision, tx)  # noqa: F821
        ops = mes.routing.operations(item_id, item_revision, tx)  # noqa: F821
        now = _tm().now()
        _tm().update("INSERT INTO work_orders (wo_id, item_id, item_revision, qty_released, "
                     "due_date, priority, status, released_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                     [wo_id, item_id, item_revision, float(qty), due, priority, "released", now],
                     tx)
        pinned = _copy_operations(wo_id, item_id, item_revision, ops, tx)
        mes.audit.record(actor, "workorder.release", "wo/" + wo_id,  # noqa: F821
                         {"item_id": item_id, "item_revision": item_revision, "qty": qty,
                          "due_date": _tm().iso(due), "priority": priority,
                          "instructions": pinned}, None, tx)
        return get(wo_id, tx)
    result = _tm().run(work, tx)
    mes.dispatch.publish_for_order(wo_id, tx)  # noqa: F821
    return result


def revise(actor, wo_id, item_id, item_revision, qty, due_date, priority=500, reason=None, tx=None):
    """Apply a new revision (engineering change) to a released order nothing has started on.

    Quantity, due date, priority and item revision are replaced, and the operations are copied
    again from the routing of `item_revision` as it is now (with the instructions approved now),
    like a fresh release; queue positions of operations that stay are kept. Lead role. Refused
    with WorkOrderStarted once the order left `released` or any operation left `released`
    (WorkOrderHeld while it is on hold). Returns the work order dict.
    """
    due = _check_order(wo_id, qty, due_date, priority)

    def work(tx):
        mes.security.require_role(actor, "lead", tx)  # noqa: F821
        order = get(wo_id, tx)
        if order["status"] == "held":
            raise WorkOrderHeld("Work order %r is on hold; release the hold before revising it." % (wo_id,))
        started = [int(r["op_seq"]) for r in _tm().rows(
            "SELECT op_seq FROM wo_operations WHERE wo_id = ? AND status <> ? ORDER BY op_seq",
            [wo_id, "released"], tx)]
        if order["status"] != "released" or started:
            raise WorkOrderStarted("Work order %r is %r with operation(s) %s started; a new revision "
                                   "cannot be applied." % (wo_id, order["status"],
                                                          ", ".join(str(s) for s in started) or "none"))
        mes.item.get(item_id, item_revision, tx)  # noqa: F821
        ops = mes.routing.operations(item_id, item_revision, tx)  # noqa: F821
        queued = dict((int(r["op_seq"]), r["queue_position"]) for r in _tm().rows(
            "SELECT op_seq, queue_position FROM wo_operations WHERE wo_id = ?", [wo_id], tx))
        _tm().update("DELETE FROM wo_operations WHERE wo_id = ?", [wo_id], tx)
        _tm().update("UPDATE work_orders SET item_id = ?, item_revision = ?, qty_released = ?, "
                     "due_date = ?, priority = ? WHERE wo_id = ? AND status = ?",
                     [item_id, item_revision, float(qty), due, priority, wo_id, "released"], tx)
        pinned = _copy_operations(wo_id, item_id, item_revision, ops, tx)
        for op in ops:
            position = queued.get(int(op["op_seq"]))
            if position is not None:
                _tm().update("UPDATE wo_operations SET queue_position = ? WHERE wo_id = ? AND op_seq = ?",
                             [position, wo_id, op["op_seq"]], tx)
        mes.audit.record(actor, "workorder.revise", "wo/" + wo_id,  # noqa: F821
                         {"before": {"item_id": order["item_id"], "item_revision": order["item_revision"],
                                     "qty": order["qty_released"], "due_date": order["due_date"],
                                     "priority": order["priority"]},
                          "item_id": item_id, "item_revision": item_revision, "qty": qty,
                          "due_date": _tm().iso(due), "priority": priority,
                          "operations": [int(op["op_seq"]) for op in ops], "instructions": pinned},
                         reason, tx)
        return get(wo_id, tx)
    result = _tm().run(work, tx)
    mes.dispatch.publish_for_order(wo_id, tx)  # noqa: F821
    return result


def _reason(reason, what):
    if not isinstance(reason, mes.compat.string_types) or not reason.strip():  # noqa: F821
        raise mes.errors.InvalidInput("A %s needs a reason, got %r." % (what, reason))  # noqa: F821
    return reason


def hold(actor, wo_id, reason, tx=None):
    """Put a work order on hold (lead or quality role, reason required)."""
    _reason(reason, "hold")

    def work(tx):
        mes.security.require_role(actor, ("lead", "quality"), tx)  # noqa: F821
        order = get(wo_id, tx)
        check_transition(wo_id, order["status"], "held")
        _tm().update("UPDATE work_orders SET status = ?, status_before_hold = ? WHERE wo_id = ?",
                     ["held", order["status"], wo_id], tx)
        stopped = mes.operation.hold_running(actor, wo_id, tx)  # noqa: F821
        mes.audit.record(actor, "workorder.hold", "wo/" + wo_id,  # noqa: F821
                         {"from": order["status"], "operations_held": stopped}, reason, tx)
        return get(wo_id, tx)
    result = _tm().run(work, tx)
    mes.dispatch.publish_for_order(wo_id, tx)  # noqa: F821
    return result


def release_hold(actor, wo_id, reason, tx=None):
    """Release a hold (lead or quality role); held operations become paused."""
    _reason(reason, "hold release")

    def work(tx):
        mes.security.require_role(actor, ("lead", "quality"), tx)  # noqa: F821
        order = get(wo_id, tx)
        if order["status"] != "held":
            raise mes.errors.StateConflict("Work order %r is %r, not held." % (  # noqa: F821
                wo_id, order["status"]))
        back = order["status_before_hold"] or "released"
        _tm().update("UPDATE work_orders SET status = ?, status_before_hold = NULL "
                     "WHERE wo_id = ?", [back, wo_id], tx)
        _tm().update("UPDATE wo_operations SET status = ?, status_before_hold = NULL "
                     "WHERE wo_id = ? AND status = ?", ["paused", wo_id, "held"], tx)
        mes.audit.record(actor, "workorder.release_hold", "wo/" + wo_id, {"to": back},  # noqa: F821
                         reason, tx)
        return get(wo_id, tx)
    result = _tm().run(work, tx)
    mes.dispatch.publish_for_order(wo_id, tx)  # noqa: F821
    return result


def refresh_completion(actor, wo_id, tx):
    """Inside `tx`: mark the work order complete when every operation is complete or skipped."""
    open_ops = _tm().scalar("SELECT COUNT(*) AS n FROM wo_operations WHERE wo_id = ? AND "
                            "status NOT IN ('complete', 'skipped', 'closed')", [wo_id], tx)
    if int(open_ops) == 0:
        _tm().update("UPDATE work_orders SET status = ?, completed_at = ? WHERE wo_id = ? AND "
                     "status = ?", ["complete", _tm().now(), wo_id, "in_progress"], tx)
        mes.audit.record(actor, "workorder.complete", "wo/" + wo_id, {}, None, tx)  # noqa: F821
        return True
    return False


def close(actor, wo_id, reason=None, tx=None):
    """Close a complete work order (lead role); its operations are closed with it."""
    def work(tx):
        mes.security.require_role(actor, "lead", tx)  # noqa: F821
        order = get(wo_id, tx)
        check_transition(wo_id, order["status"], "closed")
        now = _tm().now()
        _tm().update("UPDATE work_orders SET status = ?, closed_at = ? WHERE wo_id = ?",
                     ["closed", now, wo_id], tx)
        _tm().update("UPDATE wo_operations SET status = ? WHERE wo_id = ? AND status = ?",
                     ["closed", wo_id, "complete"], tx)
        mes.audit.record(actor, "workorder.close", "wo/" + wo_id, {}, reason, tx)  # noqa: F821
        return get(wo_id, tx)
    result = _tm().run(work, tx)
    mes.dispatch.publish_for_order(wo_id, tx)  # noqa: F821
    return result
