"""Operations of a work order on the floor: start, pause, resume, report quantities, complete, skip.

State machine per operation: released -> in_progress <-> paused -> complete -> closed; in_progress
or paused -> held (work order held) -> paused (hold released); an optional released operation ->
skipped. Every action checks, before writing anything: the role, that the operator is signed in at
the station, that the station belongs to the operation's work center (and, once started, is the
station running it), the work-order state, the routing (mes.routing.blocking) and the quality
gates (`gate`). Start is a conditional UPDATE (`... WHERE status = 'released'`): when two stations
start the same operation at once exactly one row changes and the other gets OperationAlreadyStarted.
Where the station drives a machine, start writes its `Permissive` tag true and complete, pause and
hold write it false, inside the transaction (a failed write rolls the action back).
Quantities good + scrap + rework reported at an operation never exceed the released quantity.
Quantities reported or completed on an order the ERP sent are reported to the ERP in the same
transaction (mes.erpfloor.performance): one outbound completion per report or completion.
"""
from __future__ import absolute_import, division, print_function

__all__ = ["InterlockWriteFailed", "OperationAlreadyStarted", "QualityGateBlocked",
           "QuantityExceedsReleased", "StepsIncomplete", "TRANSITIONS", "UnknownOperation",
           "WrongStation", "check_station", "complete", "gate", "get", "hold_running", "list_for",
           "pause", "report", "resume", "skip", "start"]

TRANSITIONS = {
    "released": ("in_progress", "skipped"),
    "in_progress": ("paused", "held", "complete"),
    "paused": ("in_progress", "held"),
    "held": ("paused",),
    "complete": ("closed",),
    "skipped": (),
    "closed": (),
}


class UnknownOperation(mes.errors.NotFound):  # noqa: F821
    """No operation with that sequence number on the work order."""
    code = "unknown_operation"


class WrongStation(mes.errors.StateConflict):  # noqa: F821
    """The station is not where this operation runs."""
    code = "wrong_station"


class OperationAlreadyStarted(mes.errors.StateConflict):  # noqa: F821
    """Another station (or an earlier call) started the operation first."""
    code = "operation_already_started"


class QuantityExceedsReleased(mes.errors.InvalidInput):  # noqa: F821
    """Good + scrap + rework would exceed the work order's released quantity."""
    code = "quantity_exceeds_released"


class StepsIncomplete(mes.errors.StateConflict):  # noqa: F821
    """Required work-instruction steps are not done yet."""
    code = "steps_incomplete"


class QualityGateBlocked(mes.errors.StateConflict):  # noqa: F821
    """The quality gate of an operation has not passed."""
    code = "quality_gate_blocked"


class InterlockWriteFailed(mes.errors.MesError):  # noqa: F821
    """The machine's permissive tag could not be written."""
    code = "interlock_write_failed"


_SELECT_ONE = (
    "SELECT o.wo_id, o.op_seq, o.work_center_id, o.description, o.setup_minutes, "
    "o.run_minutes_per_unit, o.parallel_group, o.optional, o.status, o.station_id, o.started_by, "
    "o.started_at, o.completed_at, o.qty_good, o.qty_scrap, o.qty_rework, o.instruction_id, "
    "o.queue_position, w.status AS wo_status, w.qty_released, w.item_id, w.item_revision, "
    "w.priority, w.due_date FROM wo_operations o JOIN work_orders w ON w.wo_id = o.wo_id "
    "WHERE o.wo_id = ? AND o.op_seq = ?")
_SELECT_ALL = (
    "SELECT o.wo_id, o.op_seq, o.work_center_id, o.description, o.setup_minutes, "
    "o.run_minutes_per_unit, o.parallel_group, o.optional, o.status, o.station_id, o.started_by, "
    "o.started_at, o.completed_at, o.qty_good, o.qty_scrap, o.qty_rework, o.instruction_id, "
    "o.queue_position, w.status AS wo_status, w.qty_released, w.item_id, w.item_revision, "
    "w.priority, w.due_date FROM wo_operations o JOIN work_orders w ON w.wo_id = o.wo_id "
    "WHERE o.wo_id = ? ORDER BY o.op_seq")


def _tm():
    return mes.transaction  # noqa: F821


def _public(row):
    op = dict(row)
    op["op_seq"] = int(row["op_seq"])
    op["optional"] = bool(row["optional"])
    op["priority"] = int(row["priority"])
    for key in ("qty_good", "qty_scrap", "qty_rework", "qty_released", "setup_minutes",
                "run_minutes_per_unit"):
        op[key] = float(row[key])
    for key in ("started_at", "completed_at", "due_date"):
        op[key] = _tm().iso(row[key])
    for key in ("instruction_id", "queue_position"):
        op[key] = None if row[key] is None else int(row[key])
    return op


def _seq(wo_id, op_seq):
    if isinstance(op_seq, bool) or not isinstance(op_seq, mes.compat.integer_types):  # noqa: F821
        raise UnknownOperation("Unknown operation %r of work order %r." % (op_seq, wo_id))
    return int(op_seq)


def get(wo_id, op_seq, tx=None):
    """The operation with its work order's status, quantity and item, as a plain dict."""
    def work(tx):
        seq = _seq(wo_id, op_seq)
        found = _tm().one(_SELECT_ONE, [wo_id, seq], tx)
        if found is None:
            mes.workorder.get(wo_id, tx)  # noqa: F821 - raises UnknownWorkOrder first
            raise UnknownOperation("Unknown operation %r of work order %r." % (op_seq, wo_id))
        return _public(found)
    return _tm().run(work, tx)


def list_for(wo_id, tx=None):
    """Every operation of a work order, ordered by op_seq."""
    return _tm().run(lambda tx: [_public(r) for r in _tm().rows(_SELECT_ALL, [wo_id], tx)], tx)


def check_station(op, station_id, tx, running=True):
    """The station dict, after checking it belongs to the op's work center and (`running`), for
    an operation in progress, that it is the station running it; raises WrongStation."""
    station = mes.workcenter.station(station_id, tx)  # noqa: F821
    if station["work_center_id"] != op["work_center_id"]:
        raise WrongStation("Station %r belongs to work center %r; operation %s/%r runs at %r."
                           % (station_id, station["work_center_id"], op["wo_id"], op["op_seq"],
                              op["work_center_id"]))
    if running and op["status"] == "in_progress" and op["station_id"] not in (None, station_id):
        raise WrongStation("Operation %s/%r is running at station %r, not at %r." % (
            op["wo_id"], op["op_seq"], op["station_id"], station_id))
    return station


def gate(wo_id, op_seq):
    """The quality gate of an operation, as mes.quality judges it (a dict with `passed`)."""
    result = mes.quality.gate_status(wo_id, op_seq)  # noqa: F821
    if not isinstance(result, dict) or "passed" not in result:
        raise mes.errors.ConfigurationError(  # noqa: F821
            "The quality gate_status(%r, %r) returned %r, not a dict with 'passed'."
            % (wo_id, op_seq, result))
    return result


def _require_gate(wo_id, op_seq):
    result = gate(wo_id, op_seq)
    if not result["passed"]:
        raise QualityGateBlocked("The quality gate of operation %s/%r has not passed: %s." % (
            wo_id, op_seq, result.get("reason") or result.get("message") or "no reason given"))


def _interlock(station, value, written):
    """Write the machine permissive of `station` (if it has a machine)."""
    path = station.get("machine_path")
    if not path:
        return
    path = mes.compat.text(path) + "/Permissive"  # noqa: F821
    quality = system.tag.writeBlocking([path], [bool(value)])[0]  # noqa: F821
    if not quality.isGood():
        raise InterlockWriteFailed("Writing %r to %r failed (%s); nothing was recorded." % (
            bool(value), path, quality))
    written.append((path, bool(value)))


def _undo_interlock(written):
    for path, value in written:
        try:
            system.tag.writeBlocking([path], [not value])  # noqa: F821
        except Exception:  # noqa: BLE001 - best effort after a failed commit
            pass


def _operator_context(username, station_id, wo_id, op_seq, tx, running=True):
    mes.security.require_role(username, "operator", tx)  # noqa: F821
    mes.security.require_signed_in(username, station_id, tx)  # noqa: F821
    op = get(wo_id, op_seq, tx)
    station = check_station(op, station_id, tx, running)
    return op, station


def _transition(op, target):
    if target not in TRANSITIONS.get(op["status"], ()):
        if op["wo_status"] == "held":
            raise mes.workorder.WorkOrderHeld("Work order %r is on hold; operation %r cannot go "  # noqa: F821
                                              "to %r." % (op["wo_id"], op["op_seq"], target))
        raise mes.errors.StateConflict("Operation %s/%r is %r; it cannot go to %r." % (  # noqa: F821
            op["wo_id"], op["op_seq"], op["status"], target))


_SET_STATUS = {
    None: "UPDATE wo_operations SET status = ? WHERE wo_id = ? AND op_seq = ? AND status = ?",
    "completed_at": "UPDATE wo_operations SET status = ?, completed_at = ? WHERE wo_id = ? AND "
                    "op_seq = ? AND status = ?",
    "station_id": "UPDATE wo_operations SET status = ?, station_id = ? WHERE wo_id = ? AND "
                  "op_seq = ? AND status = ?",
    "status_before_hold": "UPDATE wo_operations SET status = ?, status_before_hold = ? WHERE "
                          "wo_id = ? AND op_seq = ? AND status = ?",
}


def _set_status(op, target, tx, column=None, value=None):
    """Move `op` to `target` (also setting `column` to `value`) only if its status is unchanged."""
    args = [target] + ([] if column is None else [value])
    changed = _tm().update(_SET_STATUS[column], args + [op["wo_id"], op["op_seq"], op["status"]],
                           tx)
    if changed != 1:
        raise mes.errors.StateConflict("Operation %s/%r changed meanwhile; try again." % (  # noqa: F821
            op["wo_id"], op["op_seq"]))


def _run_publishing(work, tx, wo_id):
    written = []
    try:
        result = _tm().run(lambda tx: work(tx, written), tx)
    except:  # noqa: E722 - also Java exceptions: undo a permissive the rollback cannot undo
        _undo_interlock(written)
        raise
    mes.dispatch.publish_for_order(wo_id, tx)  # noqa: F821
    return result


def start(username, station_id, wo_id, op_seq, tx=None):
    """Start an operation at a station; returns the operation dict."""
    def work(tx, written):
        op, station = _operator_context(username, station_id, wo_id, op_seq, tx, False)
        if op["wo_status"] not in ("released", "in_progress"):
            if op["wo_status"] == "held":
                raise mes.workorder.WorkOrderHeld("Work order %r is on hold; operation %r cannot "  # noqa: F821
                                                  "start." % (wo_id, op_seq))
            raise mes.errors.StateConflict("Work order %r is %r; operation %r cannot start." % (  # noqa: F821
                wo_id, op["wo_status"], op_seq))
        if op["status"] != "released":
            raise OperationAlreadyStarted("Operation %s/%r is %r (station %r), not released." % (
                wo_id, op_seq, op["status"], op["station_id"]))
        ops = list_for(wo_id, tx)
        blockers = mes.routing.blocking(ops, op["op_seq"])  # noqa: F821
        if blockers:
            raise mes.routing.RoutingViolation(  # noqa: F821
                "Operation %s/%r cannot start before operation(s) %s are complete." % (
                    wo_id, op_seq, ", ".join(str(b) for b in blockers)), blocking=blockers)
        stage_of = mes.routing.stages(ops)  # noqa: F821
        for earlier in ops:
            if stage_of[earlier["op_seq"]] < stage_of[op["op_seq"]] and \
                    earlier["status"] == "complete":
                _require_gate(wo_id, earlier["op_seq"])
        now = _tm().now()
        if _tm().update("UPDATE wo_operations SET status = ?, station_id = ?, started_by = ?, "
                        "started_at = ? WHERE wo_id = ? AND op_seq = ? AND status = ?",
                        ["in_progress", station_id, username, now, wo_id, op["op_seq"],
                         "released"], tx) != 1:
            raise OperationAlreadyStarted("Operation %s/%r was started by another station "
                                          "first." % (wo_id, op_seq))
        skipped = mes.routing.skippable(ops, op["op_seq"])  # noqa: F821
        for seq in skipped:
            _tm().update("UPDATE wo_operations SET status = ? WHERE wo_id = ? AND op_seq = ? AND "
                         "status = ?", ["skipped", wo_id, seq, "released"], tx)
        _tm().update("UPDATE work_orders SET status = ? WHERE wo_id = ? AND status = ?",
                     ["in_progress", wo_id, "released"], tx)
        mes.labor.clock_on(username, station_id, wo_id, op["op_seq"], tx)  # noqa: F821
        mes.audit.record(username, "operation.start", "wo/%s/%d" % (wo_id, op["op_seq"]),  # noqa: F821
                         {"station_id": station_id, "skipped_optional": skipped}, None, tx)
        _interlock(station, True, written)
        return get(wo_id, op_seq, tx)
    return _run_publishing(work, tx, wo_id)


def _quantities(op, good, scrap, rework):
    values = {"good": good, "scrap": scrap, "rework": rework}
    for name in ("good", "scrap", "rework"):
        value = values[name]
        if isinstance(value, bool) or not isinstance(value, (float,) + mes.compat.integer_types) \
                or value < 0:  # noqa: F821
            raise mes.errors.InvalidInput("Operation %s/%r: %s must be a number >= 0, got %r." % (  # noqa: F821
                op["wo_id"], op["op_seq"], name, value))
    total = {"good": op["qty_good"] + good, "scrap": op["qty_scrap"] + scrap,
             "rework": op["qty_rework"] + rework}
    if total["good"] + total["scrap"] + total["rework"] > op["qty_released"]:
        raise QuantityExceedsReleased(
            "Operation %s/%r: good %r + scrap %r + rework %r would exceed the released %r."
            % (op["wo_id"], op["op_seq"], total["good"], total["scrap"], total["rework"],
               op["qty_released"]))
    return total


def _book(username, op, good, scrap, rework, reason, tx):
    total = _quantities(op, good, scrap, rework)
    if good or scrap or rework:
        _tm().update("UPDATE wo_operations SET qty_good = ?, qty_scrap = ?, qty_rework = ? "
                     "WHERE wo_id = ? AND op_seq = ?", [total["good"], total["scrap"],
                                                        total["rework"], op["wo_id"],
                                                        op["op_seq"]], tx)
        mes.audit.record(username, "operation.report", "wo/%s/%d" % (op["wo_id"], op["op_seq"]),  # noqa: F821
                         {"good": good, "scrap": scrap, "rework": rework}, reason, tx)
    return total


def report(username, station_id, wo_id, op_seq, good=0, scrap=0, rework=0, reason=None,
           tx=None):
    """Add good/scrap/rework quantities to a running operation; returns the operation dict."""
    def work(tx, written):
        op, _ = _operator_context(username, station_id, wo_id, op_seq, tx)
        if op["status"] != "in_progress":
            raise mes.errors.StateConflict("Operation %s/%r is %r; quantities are reported while "  # noqa: F821
                                           "it is in progress." % (wo_id, op_seq, op["status"]))
        _book(username, op, good, scrap, rework, reason, tx)
        mes.erpfloor.performance(username, wo_id, op["op_seq"], good, scrap, rework, tx)  # noqa: F821
        return get(wo_id, op_seq, tx)
    return _run_publishing(work, tx, wo_id)


def complete(username, station_id, wo_id, op_seq, good=0, scrap=0, rework=0, reason=None,
             tx=None, erp_details=None):
    """Complete a running operation (optionally booking final quantities first).

    For an order the ERP sent, the quantities booked here are reported to the ERP in the same
    transaction (mes.erpfloor.performance; `erp_details` as described there).
    """
    def work(tx, written):
        op, station = _operator_context(username, station_id, wo_id, op_seq, tx)
        _transition(op, "complete")
        _quantities(op, good, scrap, rework)
        missing = mes.guidance.missing_steps(wo_id, op["op_seq"], tx)  # noqa: F821
        if missing:
            raise StepsIncomplete("Operation %s/%r cannot complete: required step(s) %s not done."
                                  % (wo_id, op_seq, ", ".join(str(s) for s in missing)),
                                  missing=missing)
        _require_gate(wo_id, op["op_seq"])
        total = _book(username, op, good, scrap, rework, reason, tx)
        _set_status(op, "complete", tx, "completed_at", _tm().now())
        clocked_off = mes.labor.close_for_operation(wo_id, op["op_seq"], username, tx)  # noqa: F821
        mes.audit.record(username, "operation.complete", "wo/%s/%d" % (wo_id, op["op_seq"]),  # noqa: F821
                         {"station_id": station_id, "qty": total, "clocked_off": clocked_off},
                         reason, tx)
        mes.workorder.refresh_completion(username, wo_id, tx)  # noqa: F821
        mes.erpfloor.performance(username, wo_id, op["op_seq"], good, scrap, rework, tx,  # noqa: F821
                                 erp_details)
        _interlock(station, False, written)
        return get(wo_id, op_seq, tx)
    return _run_publishing(work, tx, wo_id)


def pause(username, station_id, wo_id, op_seq, reason=None, tx=None):
    """Pause a running operation: interlock cleared, labor on it clocked off."""
    def work(tx, written):
        op, station = _operator_context(username, station_id, wo_id, op_seq, tx)
        _transition(op, "paused")
        _set_status(op, "paused", tx)
        clocked_off = mes.labor.close_for_operation(wo_id, op["op_seq"], username, tx)  # noqa: F821
        mes.audit.record(username, "operation.pause", "wo/%s/%d" % (wo_id, op["op_seq"]),  # noqa: F821
                         {"station_id": station_id, "clocked_off": clocked_off}, reason, tx)
        _interlock(station, False, written)
        return get(wo_id, op_seq, tx)
    return _run_publishing(work, tx, wo_id)


def resume(username, station_id, wo_id, op_seq, tx=None):
    """Resume a paused operation, at any station of its work center."""
    def work(tx, written):
        op, station = _operator_context(username, station_id, wo_id, op_seq, tx)
        _transition(op, "in_progress")
        if op["wo_status"] == "held":
            raise mes.workorder.WorkOrderHeld("Work order %r is on hold; operation %r cannot "  # noqa: F821
                                              "resume." % (wo_id, op_seq))
        _set_status(op, "in_progress", tx, "station_id", station_id)
        mes.labor.clock_on(username, station_id, wo_id, op["op_seq"], tx)  # noqa: F821
        mes.audit.record(username, "operation.resume", "wo/%s/%d" % (wo_id, op["op_seq"]),  # noqa: F821
                         {"station_id": station_id}, None, tx)
        _interlock(station, True, written)
        return get(wo_id, op_seq, tx)
    return _run_publishing(work, tx, wo_id)


def skip(actor, wo_id, op_seq, reason, tx=None):
    """A lead skips an optional operation that has not started (reason required)."""
    if not isinstance(reason, mes.compat.string_types) or not reason.strip():  # noqa: F821
        raise mes.errors.InvalidInput("Skipping an operation needs a reason, got %r." % (reason,))  # noqa: F821

    def work(tx, written):
        mes.security.require_role(actor, "lead", tx)  # noqa: F821
        op = get(wo_id, op_seq, tx)
        if not op["optional"]:
            raise mes.errors.StateConflict("Operation %s/%r is not optional; it cannot be "  # noqa: F821
                                           "skipped." % (wo_id, op_seq))
        _transition(op, "skipped")
        _set_status(op, "skipped", tx)
        mes.audit.record(actor, "operation.skip", "wo/%s/%d" % (wo_id, op["op_seq"]), {},  # noqa: F821
                         reason, tx)
        mes.workorder.refresh_completion(actor, wo_id, tx)  # noqa: F821
        return get(wo_id, op_seq, tx)
    return _run_publishing(work, tx, wo_id)


def hold_running(actor, wo_id, tx):
    """Inside `tx` (a work-order hold): running and paused operations become held, interlocks
    are cleared and labor is clocked off; returns the held op_seqs."""
    held = []
    for op in list_for(wo_id, tx):
        if op["status"] not in ("in_progress", "paused"):
            continue
        _set_status(op, "held", tx, "status_before_hold", op["status"])
        mes.labor.close_for_operation(wo_id, op["op_seq"], actor, tx)  # noqa: F821
        if op["status"] == "in_progress" and op["station_id"]:
            _interlock(mes.workcenter.station(op["station_id"], tx), False, [])  # noqa: F821
        held.append(op["op_seq"])
    return held
