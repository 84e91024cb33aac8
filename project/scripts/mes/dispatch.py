"""Dispatch: the queue of each work center, supervisor re-sequencing, live work-center status tags.

A work center's queue holds its operations that are released or paused on work orders that are
released or in progress. Order: first the positions a lead set (`resequence`), then priority
(1 = most urgent), due date, work order id and op_seq. Each entry says whether the routing lets it
start now (`ready`) and which operations it waits for.

Live status per work center is written to `[default]Genba/Dispatch/<work center>/…` (an instance
of the `Dispatch/WorkCenterStatus` UDT; created when missing): State (running, else paused,
else held, else idle),
CurrentWO, CurrentOp, CurrentItem, Operator, Station, QtyReleased, QtyGood, QtyScrap, QtyRework,
Running, QueueDepth, NextWO, NextOp, Held, Updated. Actions publish after their transaction
commits; the `dispatch-status` timer republishes every work center, so a tag write that failed
or an action rolled back later heals within one period.
"""
from __future__ import absolute_import, division, print_function

import re

__all__ = ["STATUS_ROOT", "publish", "publish_all", "publish_for_order", "queue", "resequence",
           "status"]

STATUS_ROOT = "[default]Genba/Dispatch"
_TAG_NAME = re.compile(r"^[A-Za-z0-9_\-]+$")
_QUEUED = ("released", "paused")


def _tm():
    return mes.transaction  # noqa: F821


def _ops_at(work_center_id, tx):
    return _tm().rows(
        "SELECT o.wo_id, o.op_seq, o.status, o.station_id, o.started_by, o.queue_position, "
        "o.qty_good, o.qty_scrap, o.qty_rework, w.status AS wo_status, w.priority, w.due_date, "
        "w.qty_released, w.item_id FROM wo_operations o JOIN work_orders w ON w.wo_id = o.wo_id "
        "WHERE o.work_center_id = ? AND w.status IN ('released', 'in_progress', 'held') AND "
        "o.status IN ('released', 'in_progress', 'paused', 'held')", [work_center_id], tx)


def _sort_key(entry):
    position = entry["queue_position"]
    return (0 if position is not None else 1, position or 0, int(entry["priority"]),
            _tm().millis(entry["due_date"]), mes.compat.text(entry["wo_id"]),  # noqa: F821
            int(entry["op_seq"]))


def queue(work_center_id, tx=None):
    """The ordered queue of a work center: list of dicts wo_id, op_seq, status, item_id,
    priority, due_date, queue_position, ready, waiting_for."""
    def work(tx):
        mes.workcenter.get(work_center_id, tx)  # noqa: F821
        entries = [e for e in _ops_at(work_center_id, tx)
                   if e["status"] in _QUEUED and e["wo_status"] in ("released", "in_progress")]
        entries.sort(key=_sort_key)
        result, routings = [], {}
        for entry in entries:
            wo_id = mes.compat.text(entry["wo_id"])  # noqa: F821
            if wo_id not in routings:
                routings[wo_id] = mes.operation.list_for(wo_id, tx)  # noqa: F821
            waiting = mes.routing.blocking(routings[wo_id], entry["op_seq"])  # noqa: F821
            result.append({"wo_id": wo_id, "op_seq": int(entry["op_seq"]),
                           "status": mes.compat.text(entry["status"]),  # noqa: F821
                           "item_id": mes.compat.text(entry["item_id"]),  # noqa: F821
                           "priority": int(entry["priority"]),
                           "due_date": _tm().iso(entry["due_date"]),
                           "queue_position": None if entry["queue_position"] is None
                           else int(entry["queue_position"]),
                           "ready": not waiting, "waiting_for": waiting})
        return result
    return _tm().run(work, tx)


def resequence(actor, work_center_id, order, reason=None, tx=None):
    """A lead puts queue entries first, in the given order: `order` is a list of
    [wo_id, op_seq] pairs from the work center's queue; the rest keep the default order.
    Returns the new queue."""
    def work(tx):
        mes.security.require_role(actor, "lead", tx)  # noqa: F821
        current = queue(work_center_id, tx)
        queued = set((e["wo_id"], e["op_seq"]) for e in current)
        wanted = []
        for pair in order:
            try:
                key = (mes.compat.text(pair[0]), int(pair[1]))  # noqa: F821
            except (TypeError, ValueError, IndexError):
                raise mes.errors.InvalidInput("A queue entry must be [wo_id, op_seq], got %r." % (  # noqa: F821
                    pair,))
            if key not in queued:
                raise mes.errors.InvalidInput(  # noqa: F821
                    "%s/%r is not in the queue of work center %r." % (key[0], key[1],
                                                                       work_center_id))
            if key in wanted:
                raise mes.errors.InvalidInput("%s/%r is listed twice." % key)  # noqa: F821
            wanted.append(key)
        for entry in current:
            if entry["queue_position"] is not None:
                _tm().update("UPDATE wo_operations SET queue_position = NULL WHERE wo_id = ? AND "
                             "op_seq = ?", [entry["wo_id"], entry["op_seq"]], tx)
        for position, key in enumerate(wanted):
            _tm().update("UPDATE wo_operations SET queue_position = ? WHERE wo_id = ? AND "
                         "op_seq = ?", [position + 1, key[0], key[1]], tx)
        mes.audit.record(actor, "dispatch.resequence", "workcenter/" + work_center_id,  # noqa: F821
                         {"order": [[k[0], k[1]] for k in wanted]}, reason, tx)
        return queue(work_center_id, tx)
    result = _tm().run(work, tx)
    publish(work_center_id)
    return result


def status(work_center_id, tx=None):
    """The live status of a work center as the dict the tags show."""
    def work(tx):
        everything = _ops_at(work_center_id, tx)
        running = sorted([e for e in everything if e["status"] == "in_progress"],
                         key=_sort_key)
        paused = sorted([e for e in everything if e["status"] == "paused"
                         and e["wo_status"] != "held"], key=_sort_key)
        held = [e for e in everything if e["wo_status"] == "held"]
        waiting = queue(work_center_id, tx)
        shown = running[0] if running else (paused[0] if paused else None)
        text = mes.compat.text  # noqa: F821
        state = "running" if running else ("paused" if paused else ("held" if held else "idle"))
        result = {"State": state,
                  "CurrentWO": "", "CurrentOp": 0, "CurrentItem": "", "Operator": "",
                  "Station": "", "QtyReleased": 0.0, "QtyGood": 0.0, "QtyScrap": 0.0,
                  "QtyRework": 0.0, "Running": len(running),
                  "QueueDepth": len([e for e in waiting if e["status"] == "released"]),
                  "NextWO": "", "NextOp": 0, "Held": len(held), "Updated": _tm().now_iso()}
        if shown is not None:
            result.update({"CurrentWO": text(shown["wo_id"]), "CurrentOp": int(shown["op_seq"]),
                           "CurrentItem": text(shown["item_id"]),
                           "Operator": text(shown["started_by"] or ""),
                           "Station": text(shown["station_id"] or ""),
                           "QtyReleased": float(shown["qty_released"]),
                           "QtyGood": float(shown["qty_good"]),
                           "QtyScrap": float(shown["qty_scrap"]),
                           "QtyRework": float(shown["qty_rework"])})
        upcoming = [e for e in waiting if e["status"] == "released"]
        if upcoming:
            result.update({"NextWO": upcoming[0]["wo_id"], "NextOp": upcoming[0]["op_seq"]})
        return result
    return _tm().run(work, tx)


def _ensure_instance(work_center_id):
    base = STATUS_ROOT + "/" + work_center_id
    if not system.tag.exists(base + "/State"):  # noqa: F821
        system.tag.configure(STATUS_ROOT, [{"name": work_center_id, "tagType": "UdtInstance",  # noqa: F821
                                            "typeId": "Dispatch/WorkCenterStatus"}], "i")
    return base


def publish(work_center_id):
    """Write a work center's status tags; a failure is logged, never raised (the timer retries)."""
    logger = system.util.getLogger("mes.dispatch")  # noqa: F821
    if not _TAG_NAME.match(work_center_id or ""):
        logger.warn("Work center id %r cannot be a tag name; its status is not published."
                    % (work_center_id,))
        return None
    try:
        values = status(work_center_id)
        base = _ensure_instance(work_center_id)
        names = sorted(values)
        codes = system.tag.writeBlocking([base + "/" + n for n in names],  # noqa: F821
                                         [values[n] for n in names])
        bad = [names[i] for i, code in enumerate(codes) if not code.isGood()]
        if bad:
            logger.warn("Status tags of work center %r not written: %s" % (work_center_id,
                                                                           ", ".join(bad)))
        return values
    except Exception as error:  # noqa: BLE001 - status tags are informative; the DB is the record
        logger.warn("Publishing the status of work center %r failed: %r" % (work_center_id, error))
        return None


def publish_for_order(wo_id, tx=None):
    """Publish every work center a work order has operations at.

    Inside a caller's transaction (`tx` given) nothing is published: the status would show work
    that is not committed yet, and a second connection would wait on the caller's write lock. The
    `dispatch-status` timer publishes once the caller has committed (the audit trail has grown).
    """
    if tx is not None:
        return []
    try:
        centers = _tm().run(lambda tx: sorted(set(mes.compat.text(r["work_center_id"]) for r in  # noqa: F821
                                                  _tm().rows("SELECT work_center_id FROM "
                                                             "wo_operations WHERE wo_id = ?",
                                                             [wo_id], tx))))
    except Exception as error:  # noqa: BLE001
        system.util.getLogger("mes.dispatch").warn(  # noqa: F821
            "Publishing the status of work order %r failed: %r" % (wo_id, error))
        return []
    for center in centers:
        publish(center)
    return centers


def publish_all(force=False):
    """Publish every work center (the `dispatch-status` timer calls this).

    Every change on the floor writes an audit row, so when the audit trail has not grown since
    the last complete publish (`PublishedAuditSeq` tag) there is nothing new and only that one
    number is read. Returns the work centers published.
    """
    logger = system.util.getLogger("mes.dispatch")  # noqa: F821
    try:
        seq, centers = _tm().run(lambda tx: (
            _tm().scalar("SELECT last_seq FROM audit_chains WHERE chain = ?", ["main"], tx),
            [mes.compat.text(r["work_center_id"]) for r in _tm().rows(  # noqa: F821
                "SELECT work_center_id FROM work_centers ORDER BY work_center_id", [], tx)]))
    except Exception as error:  # noqa: BLE001 - no database yet: nothing to publish, say why
        logger.warn("Work centers could not be read, no status published: %r" % (error,))
        return []
    marker = STATUS_ROOT + "/PublishedAuditSeq"
    if not force and seq is not None and \
            system.tag.readBlocking([marker])[0].value == int(seq):  # noqa: F821
        return []
    results = [publish(center) for center in centers]
    if seq is not None and None not in results:
        system.tag.writeBlocking([marker], [int(seq)])  # noqa: F821
    return centers
