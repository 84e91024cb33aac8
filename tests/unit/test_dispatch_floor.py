"""Dispatch on the floor: release, queue, start, guided steps, complete, routing, holds, labor."""
import types

import pytest

from dispatch_host import Host
from dispatch_plant import PRESS, TORQUE1, build, do_press_steps


@pytest.fixture
def host(tmp_path):
    host = Host(str(tmp_path / "genba.db"))
    build(host.mes)
    yield host
    host.close()


@pytest.fixture
def mes(host):
    return host.mes


@pytest.fixture
def released(mes):
    mes.workorder.release("lee", "WO-1", "PUMP-100", "B", 10, "2026-01-06", 100)
    for user, station in [("ana", "PRESS-1"), ("ben", "TORQUE-1"), ("cy", "TORQUE-2")]:
        mes.security.sign_in(user, user + "-pw", station)
    return mes


def _statuses(mes, wo="WO-1"):
    return [(op["op_seq"], op["status"]) for op in mes.workorder.operations(wo)]


def _unchanged(host, error, call, *args, **kwargs):
    """Run `call`, expect `error`, and prove nothing was written; returns the exception."""
    before = host.snapshot()
    with pytest.raises(error) as raised:
        call(*args, **kwargs)
    assert host.snapshot() == before
    return raised.value


# -- release and queue -------------------------------------------------------------------------

def test_release_copies_the_routing_with_every_operation_released(released):
    assert _statuses(released) == [(10, "released"), (20, "released"), (30, "released"),
                                   (40, "released"), (50, "released")]
    assert released.workorder.get("WO-1")["status"] == "released"


def test_release_pins_the_approved_instruction_of_each_operation(released):
    ops = released.workorder.operations("WO-1")
    assert [(op["op_seq"], op["instruction_id"]) for op in ops] == [
        (10, 1), (20, None), (30, None), (40, None), (50, None)]


def test_a_work_order_keeps_its_instruction_revision_after_a_new_one_is_approved(released):
    mes = released
    v2 = mes.guidance.define("eve", "PUMP-100", "B", 10, [
        {"kind": "check", "prompt": "Only one step now"}], "Press v2")
    mes.guidance.approve("eve", "eve-pw", v2)
    mes.workorder.release("lee", "WO-2", "PUMP-100", "B", 5, "2026-01-07")
    assert mes.operation.get("WO-1", 10)["instruction_id"] == 1
    assert mes.operation.get("WO-2", 10)["instruction_id"] == v2
    assert mes.guidance.get(1)["status"] == "superseded"
    assert [s["prompt"] for s in mes.guidance.for_operation("WO-1", 10)["steps"]][:1] == [
        "Scan the housing serial"]


def test_the_queue_orders_by_priority_then_due_date(mes):
    mes.workorder.release("lee", "WO-LATE", "PUMP-100", "B", 1, "2026-01-09", 100)
    mes.workorder.release("lee", "WO-SOON", "PUMP-100", "B", 1, "2026-01-06", 100)
    mes.workorder.release("lee", "WO-LOW", "PUMP-100", "B", 1, "2026-01-05", 900)
    mes.workorder.release("lee", "WO-URGENT", "PUMP-100", "B", 1, "2026-01-20", 1)
    assert [e["wo_id"] for e in mes.dispatch.queue("L2-PRESS")] == [
        "WO-URGENT", "WO-SOON", "WO-LATE", "WO-LOW"]


def test_a_lead_resequences_the_queue_and_the_rest_keeps_its_order(host, mes):
    for wo, due in [("WO-A", "2026-01-06"), ("WO-B", "2026-01-07"), ("WO-C", "2026-01-08")]:
        mes.workorder.release("lee", wo, "PUMP-100", "B", 1, due)
    queue = mes.dispatch.resequence("lee", "L2-PRESS", [["WO-C", 10]], "customer escalation")
    assert [(e["wo_id"], e["queue_position"]) for e in queue] == [
        ("WO-C", 1), ("WO-A", None), ("WO-B", None)]
    assert mes.audit.history(subject="workcenter/L2-PRESS")[-1]["reason"] == "customer escalation"


def test_an_operator_may_not_resequence(host, mes):
    mes.workorder.release("lee", "WO-A", "PUMP-100", "B", 1, "2026-01-06")
    _unchanged(host, mes.security.MissingRole, mes.dispatch.resequence, "ana", "L2-PRESS",
               [["WO-A", 10]])


def test_resequencing_an_entry_not_in_the_queue_is_refused(host, mes):
    mes.workorder.release("lee", "WO-A", "PUMP-100", "B", 1, "2026-01-06")
    error = _unchanged(host, mes.errors.InvalidInput, mes.dispatch.resequence, "lee", "L2-PRESS",
                       [["WO-A", 20]])
    assert str(error) == "WO-A/20 is not in the queue of work center 'L2-PRESS'."


@pytest.mark.parametrize("args, error", [
    (("WO-1", "PUMP-100", "B", 0, "2026-01-06"), "InvalidInput"),
    (("WO-1", "PUMP-100", "B", 5, "tomorrow"), "InvalidInput"),
    (("WO-1", "PUMP-100", "Z", 5, "2026-01-06"), "NotFound"),
    (("", "PUMP-100", "B", 5, "2026-01-06"), "InvalidInput"),
])
def test_a_bad_release_is_refused_and_writes_nothing(host, mes, args, error):
    _unchanged(host, getattr(mes.errors, error), mes.workorder.release, "lee", *args)


def test_releasing_the_same_work_order_twice_is_refused(host, released):
    _unchanged(host, released.errors.StateConflict, released.workorder.release, "lee", "WO-1",
               "PUMP-100", "B", 10, "2026-01-06")


# -- start: who, where, when --------------------------------------------------------------------

def test_starting_an_operation_marks_it_and_the_work_order_in_progress(host, released):
    op = released.operation.start("ana", "PRESS-1", "WO-1", 10)
    assert (op["status"], op["station_id"], op["started_by"], op["started_at"]) == (
        "in_progress", "PRESS-1", "ana", "2026-01-05T06:00:00.000Z")
    assert released.workorder.get("WO-1")["status"] == "in_progress"
    assert host.system.tag.values[PRESS + "/Permissive"] is True


def test_an_operator_not_signed_in_cannot_start(host, released):
    released.security.sign_out("ana")
    error = _unchanged(host, released.security.NotSignedIn, released.operation.start, "ana",
                       "PRESS-1", "WO-1", 10)
    assert "'ana' is not signed in" in str(error)


def test_a_user_without_the_operator_role_cannot_start(host, released):
    released.security.sign_in("quinn", "quinn-pw", "PRESS-1")
    _unchanged(host, released.security.MissingRole, released.operation.start, "quinn",
               "PRESS-1", "WO-1", 10)


def test_an_operation_cannot_start_at_a_station_of_another_work_center(host, released):
    error = _unchanged(host, released.operation.WrongStation, released.operation.start, "ben",
                       "TORQUE-1", "WO-1", 10)
    assert str(error) == ("Station 'TORQUE-1' belongs to work center 'L2-TORQUE'; operation "
                          "WO-1/10 runs at 'L2-PRESS'.")


def test_an_operator_cannot_act_for_a_station_they_are_not_signed_in_at(host, released):
    _unchanged(host, released.security.NotSignedIn, released.operation.start, "ben",
               "PRESS-1", "WO-1", 10)


def test_an_operation_cannot_start_before_its_predecessor_completes(host, released):
    error = _unchanged(host, released.routing.RoutingViolation, released.operation.start, "ben",
                       "TORQUE-1", "WO-1", 20)
    assert str(error) == "Operation WO-1/20 cannot start before operation(s) 10 are complete."


def test_nothing_starts_on_a_held_work_order(host, released):
    released.workorder.hold("quinn", "WO-1", "suspect bearing lot")
    _unchanged(host, released.workorder.WorkOrderHeld, released.operation.start, "ana",
               "PRESS-1", "WO-1", 10)


@pytest.mark.parametrize("wo, seq, error, message", [
    ("WO-404", 10, "UnknownWorkOrder", "Unknown work order 'WO-404'."),
    ("WO-1", 99, "UnknownOperation", "Unknown operation 99 of work order 'WO-1'."),
    ("WO-1", "10; DROP TABLE wo_operations", "UnknownOperation",
     "Unknown operation '10; DROP TABLE wo_operations' of work order 'WO-1'."),
])
def test_unknown_work_orders_and_operations_are_named(host, released, wo, seq, error, message):
    module = released.workorder if error == "UnknownWorkOrder" else released.operation
    raised = _unchanged(host, getattr(module, error), released.operation.start, "ana",
                        "PRESS-1", wo, seq)
    assert str(raised) == message


def test_a_second_station_cannot_start_an_operation_already_started(host, released):
    released.operation.start("ana", "PRESS-1", "WO-1", 10)
    do_press_steps(released)
    released.operation.complete("ana", "PRESS-1", "WO-1", 10, good=10)
    released.operation.start("ben", "TORQUE-1", "WO-1", 20)
    error = _unchanged(host, released.operation.OperationAlreadyStarted, released.operation.start,
                       "cy", "TORQUE-2", "WO-1", 20)
    assert "station 'TORQUE-1'" in str(error)


# -- guided steps and completion ----------------------------------------------------------------

def test_an_operation_cannot_complete_until_every_required_step_is_done(host, released):
    released.operation.start("ana", "PRESS-1", "WO-1", 10)
    released.guidance.record("ana", "PRESS-1", "WO-1", 10, 1, "H-0001")
    error = _unchanged(host, released.operation.StepsIncomplete, released.operation.complete,
                       "ana", "PRESS-1", "WO-1", 10, good=10)
    assert str(error) == ("Operation WO-1/10 cannot complete: required step(s) 2, 3, 4 not "
                          "done.")


def test_steps_are_recorded_in_order(host, released):
    released.operation.start("ana", "PRESS-1", "WO-1", 10)
    _unchanged(host, released.guidance.StepOutOfOrder, released.guidance.record, "ana",
               "PRESS-1", "WO-1", 10, 3, "G1")


@pytest.mark.parametrize("step, value, message", [
    (1, "X-99", "Step 1: scanned 'X-99' does not match 'H-\\\\d{4}'."),
    (1, "H-12345", "Step 1: scanned 'H-12345' does not match 'H-\\\\d{4}'."),
    (1, "  ", "Step 1 (scan) needs non-blank text, got '  '."),
])
def test_a_scan_that_does_not_match_is_refused(host, released, step, value, message):
    released.operation.start("ana", "PRESS-1", "WO-1", 10)
    error = _unchanged(host, released.errors.InvalidInput, released.guidance.record, "ana",
                       "PRESS-1", "WO-1", 10, step, value)
    assert str(error) == message


@pytest.mark.parametrize("step, value, message", [
    (2, "twelve", "Step 2 needs a number, got 'twelve'."),
    (2, 51, "Step 2: 51.0 is outside the plausible range 0..50 kN."),
    (2, True, "Step 2 needs a number, got True."),
    (3, "G3", "Step 3: 'G3' is not one of ['G1', 'G2']."),
    (4, "yes", "Step 4 is a check; confirm it with True, got 'yes'."),
])
def test_entries_are_validated_by_step_kind(host, released, step, value, message):
    released.operation.start("ana", "PRESS-1", "WO-1", 10)
    for earlier, ok in [(1, "H-0001"), (2, 10), (3, "G1")][:step - 1]:
        released.guidance.record("ana", "PRESS-1", "WO-1", 10, earlier, ok)
    error = _unchanged(host, released.errors.InvalidInput, released.guidance.record, "ana",
                       "PRESS-1", "WO-1", 10, step, value)
    assert str(error) == message


def test_free_text_that_looks_like_sql_is_stored_verbatim(host, released):
    mes = released
    remark = "it's fine'); DELETE FROM step_records; --"
    mes.operation.start("ana", "PRESS-1", "WO-1", 10)
    do_press_steps(mes)
    mes.guidance.record("ana", "PRESS-1", "WO-1", 10, 5, remark)
    shown = mes.guidance.for_operation("WO-1", 10)
    assert [(s["step_no"], s["value"]) for s in shown["steps"]] == [
        (1, "H-1234"), (2, "12.5"), (3, "G2"), (4, "true"), (5, remark)]
    mes.workorder.hold("lee", "WO-1", remark)
    assert mes.audit.history(subject="wo/WO-1")[-1]["reason"] == remark


def test_completing_records_quantities_and_opens_the_next_stage(host, released):
    mes = released
    mes.operation.start("ana", "PRESS-1", "WO-1", 10)
    do_press_steps(mes)
    op = mes.operation.complete("ana", "PRESS-1", "WO-1", 10, good=9, scrap=1)
    assert (op["status"], op["qty_good"], op["qty_scrap"]) == ("complete", 9.0, 1.0)
    assert host.system.tag.values[PRESS + "/Permissive"] is False
    assert [(e["op_seq"], e["ready"]) for e in mes.dispatch.queue("L2-TORQUE")] == [(20, True)]
    assert mes.dispatch.queue("L2-PACK")[0]["waiting_for"] == [20, 30]


def test_completing_more_than_released_is_refused(host, released):
    released.operation.start("ana", "PRESS-1", "WO-1", 10)
    do_press_steps(released)
    released.operation.report("ana", "PRESS-1", "WO-1", 10, good=6)
    error = _unchanged(host, released.operation.QuantityExceedsReleased,
                       released.operation.complete, "ana", "PRESS-1", "WO-1", 10, good=4, scrap=1)
    assert str(error) == ("Operation WO-1/10: good 10.0 + scrap 1.0 + rework 0.0 would exceed "
                          "the released 10.0.")


@pytest.mark.parametrize("good, scrap", [(-1, 0), (True, 0), ("5", 0), (0, None)])
def test_quantities_must_be_non_negative_numbers(host, released, good, scrap):
    released.operation.start("ana", "PRESS-1", "WO-1", 10)
    _unchanged(host, released.errors.InvalidInput, released.operation.report, "ana", "PRESS-1",
               "WO-1", 10, good=good, scrap=scrap)


# -- routing: parallel and optional operations --------------------------------------------------

def _through_press(mes):
    mes.operation.start("ana", "PRESS-1", "WO-1", 10)
    do_press_steps(mes)
    mes.operation.complete("ana", "PRESS-1", "WO-1", 10, good=10)


def test_parallel_operations_run_together_and_the_next_waits_for_both(host, released):
    mes = released
    _through_press(mes)
    mes.security.sign_out("ana")
    mes.security.sign_in("ana", "ana-pw", "VISION-1")
    mes.security.sign_in("lee", "lee-pw", "PACK-1")
    mes.operation.start("ben", "TORQUE-1", "WO-1", 20)
    mes.operation.start("ana", "VISION-1", "WO-1", 30)
    mes.operation.complete("ana", "VISION-1", "WO-1", 30, good=10)
    error = _unchanged(host, mes.routing.RoutingViolation, mes.operation.start, "lee", "PACK-1",
                       "WO-1", 50)
    assert error.details == {"blocking": [20]}
    mes.operation.complete("ben", "TORQUE-1", "WO-1", 20, good=10)
    mes.operation.start("lee", "PACK-1", "WO-1", 50)
    assert _statuses(mes) == [(10, "complete"), (20, "complete"), (30, "complete"),
                              (40, "skipped"), (50, "in_progress")]


def test_a_started_optional_operation_blocks_the_next(host, released):
    mes = released
    _through_press(mes)
    for seq, user, station in [(20, "ben", "TORQUE-1"), (30, "cy", "VISION-1")]:
        if station == "VISION-1":
            mes.security.sign_out("cy")
            mes.security.sign_in("cy", "cy-pw", station)
        mes.operation.start(user, station, "WO-1", seq)
        mes.operation.complete(user, station, "WO-1", seq, good=10)
    mes.security.sign_out("ana")
    mes.security.sign_in("ana", "ana-pw", "MARK-1")
    mes.security.sign_in("lee", "lee-pw", "PACK-1")
    mes.operation.start("ana", "MARK-1", "WO-1", 40)
    error = _unchanged(host, mes.routing.RoutingViolation, mes.operation.start, "lee", "PACK-1",
                       "WO-1", 50)
    assert error.details == {"blocking": [40]}


def test_the_work_order_completes_when_the_last_operation_does_and_a_lead_closes_it(released):
    mes = released
    _through_press(mes)
    mes.operation.skip("lee", "WO-1", 40, "customer did not order marking")
    mes.security.sign_out("cy")
    mes.security.sign_in("cy", "cy-pw", "VISION-1")
    mes.security.sign_in("lee", "lee-pw", "PACK-1")
    for seq, user, station in [(20, "ben", "TORQUE-1"), (30, "cy", "VISION-1"),
                               (50, "lee", "PACK-1")]:
        mes.operation.start(user, station, "WO-1", seq)
        mes.operation.complete(user, station, "WO-1", seq, good=10)
    assert mes.workorder.get("WO-1")["status"] == "complete"
    assert mes.workorder.close("lee", "WO-1")["status"] == "closed"
    assert _statuses(mes) == [(10, "closed"), (20, "closed"), (30, "closed"), (40, "skipped"),
                              (50, "closed")]


def test_a_work_order_in_progress_cannot_be_closed(host, released):
    released.operation.start("ana", "PRESS-1", "WO-1", 10)
    _unchanged(host, released.errors.StateConflict, released.workorder.close, "lee", "WO-1")


# -- hold, pause, interlock ----------------------------------------------------------------------

def test_a_hold_stops_running_operations_clears_the_interlock_and_clocks_labor_off(host, released):
    mes = released
    mes.operation.start("ana", "PRESS-1", "WO-1", 10)
    host.advance(600)
    mes.workorder.hold("quinn", "WO-1", "suspect bearing lot")
    assert _statuses(mes)[0] == (10, "held")
    assert host.system.tag.values[PRESS + "/Permissive"] is False
    assert mes.labor.open_entry("ana") is None
    mes.workorder.release_hold("quinn", "WO-1", "lot cleared")
    assert _statuses(mes)[0] == (10, "paused")
    mes.operation.resume("ana", "PRESS-1", "WO-1", 10)
    assert host.system.tag.values[PRESS + "/Permissive"] is True


def test_a_hold_needs_a_reason_and_the_lead_or_quality_role(host, released):
    _unchanged(host, released.errors.InvalidInput, released.workorder.hold, "quinn", "WO-1", " ")
    _unchanged(host, released.security.MissingRole, released.workorder.hold, "ana", "WO-1", "x")


def test_pausing_clears_the_interlock_and_resuming_sets_it(host, released):
    mes = released
    mes.operation.start("ana", "PRESS-1", "WO-1", 10)
    mes.operation.pause("ana", "PRESS-1", "WO-1", 10, "material shortage")
    assert host.system.tag.values[PRESS + "/Permissive"] is False
    mes.operation.resume("ana", "PRESS-1", "WO-1", 10)
    assert host.system.tag.values[PRESS + "/Permissive"] is True


def test_a_failed_interlock_write_rolls_the_start_back(host, released):
    host.system.tag.fail.add(PRESS + "/Permissive")
    error = _unchanged(host, released.operation.InterlockWriteFailed, released.operation.start,
                       "ana", "PRESS-1", "WO-1", 10)
    assert "nothing was recorded" in str(error)


def test_a_running_operation_is_only_completed_at_its_own_station(host, released):
    _through_press(released)
    released.operation.start("ben", "TORQUE-1", "WO-1", 20)
    _unchanged(host, released.operation.WrongStation, released.operation.complete, "cy",
               "TORQUE-2", "WO-1", 20)
    assert host.system.tag.values[TORQUE1 + "/Permissive"] is True


# -- quality gates ---------------------------------------------------------------------------------

def test_an_operation_without_an_inspection_plan_passes_its_gate(released):
    verdict = released.operation.gate("WO-1", 10)
    assert verdict["passed"] is True and verdict["failed"] == [] and verdict["holds"] == []


def test_a_failed_quality_gate_blocks_completion_and_the_next_operation(host, released):
    mes = released
    calls = []
    verdict = {"passed": False, "reason": "bore diameter out of tolerance"}

    def gate_status(wo_id, op_seq):
        calls.append((wo_id, op_seq))
        return dict(verdict)

    mes.__dict__["quality"] = types.SimpleNamespace(gate_status=gate_status)
    mes.operation.start("ana", "PRESS-1", "WO-1", 10)
    do_press_steps(mes)
    error = _unchanged(host, mes.operation.QualityGateBlocked, mes.operation.complete, "ana",
                       "PRESS-1", "WO-1", 10, good=10)
    assert str(error) == ("The quality gate of operation WO-1/10 has not passed: bore diameter "
                          "out of tolerance.")
    verdict["passed"] = True
    mes.operation.complete("ana", "PRESS-1", "WO-1", 10, good=10)
    verdict["passed"] = False
    _unchanged(host, mes.operation.QualityGateBlocked, mes.operation.start, "ben", "TORQUE-1",
               "WO-1", 20)
    assert calls == [("WO-1", 10), ("WO-1", 10), ("WO-1", 10)]


# -- labor -----------------------------------------------------------------------------------------

def test_labor_hours_per_operation_and_operator_are_ready_for_the_erp(host, released):
    mes = released
    mes.labor.define_indirect_code("lee", "CLEAN", "Cleaning")
    mes.operation.start("ana", "PRESS-1", "WO-1", 10)
    host.advance(1800)
    do_press_steps(mes)
    mes.operation.complete("ana", "PRESS-1", "WO-1", 10, good=10)
    mes.labor.clock_on_indirect("ana", "PRESS-1", "CLEAN")
    host.advance(900)
    mes.security.sign_out("ana")
    assert mes.labor.hours() == [
        {"wo_id": "WO-1", "op_seq": 10, "username": "ana", "kind": "direct",
         "indirect_code": None, "hours": 0.5, "entries": 1},
        {"wo_id": None, "op_seq": None, "username": "ana", "kind": "indirect",
         "indirect_code": "CLEAN", "hours": 0.25, "entries": 1}]


def test_a_crew_clocks_on_together_and_off_when_the_operation_completes(host, released):
    mes = released
    _through_press(mes)
    mes.labor.define_crew("lee", "TORQUE-CREW", ["ben", "cy"])
    mes.operation.start("ben", "TORQUE-1", "WO-1", 20)
    host.advance(60)
    mes.labor.clock_on_crew("lee", "TORQUE-CREW", "WO-1", 20)
    host.advance(3600)
    mes.operation.complete("ben", "TORQUE-1", "WO-1", 20, good=10)
    rows = [(r["username"], r["hours"], r["entries"]) for r in mes.labor.hours("WO-1")
            if r["op_seq"] == 20]
    assert rows == [("ben", 1.0 + 60 / 3600.0, 1), ("cy", 1.0, 1)]  # ben stays on his entry


def test_a_crew_member_not_signed_in_stops_the_whole_crew(host, released):
    mes = released
    _through_press(mes)
    mes.labor.define_crew("lee", "TORQUE-CREW", ["ben", "cy"])
    mes.operation.start("ben", "TORQUE-1", "WO-1", 20)
    mes.security.sign_out("cy")
    _unchanged(host, mes.security.NotSignedIn, mes.labor.clock_on_crew, "lee", "TORQUE-CREW",
               "WO-1", 20)


def test_clocking_on_an_unknown_indirect_code_is_refused(host, released):
    _unchanged(host, released.labor.UnknownIndirectCode, released.labor.clock_on_indirect, "ana",
               "PRESS-1", "SMOKE-BREAK")


# -- status tags and the audit trail ---------------------------------------------------------------

def test_work_center_status_tags_follow_the_floor(host, released):
    mes = released
    mes.operation.start("ana", "PRESS-1", "WO-1", 10)
    mes.operation.report("ana", "PRESS-1", "WO-1", 10, good=4, scrap=1)
    values = host.system.tag.values
    base = "[default]Genba/Dispatch/L2-PRESS/"
    assert dict((k, values[base + k]) for k in (
        "State", "CurrentWO", "CurrentOp", "Operator", "QtyGood", "QtyScrap", "QueueDepth")) == {
        "State": "running", "CurrentWO": "WO-1", "CurrentOp": 10, "Operator": "ana",
        "QtyGood": 4.0, "QtyScrap": 1.0, "QueueDepth": 0}
    assert (values["[default]Genba/Dispatch/L2-TORQUE/NextWO"],
            values["[default]Genba/Dispatch/L2-TORQUE/QueueDepth"]) == ("WO-1", 1)


def test_every_action_is_in_an_intact_audit_trail(released):
    mes = released
    _through_press(mes)
    actions = [r["action"] for r in mes.audit.history(subject="wo/WO-1/10")]
    assert actions == ["operation.start"] + ["guidance.record"] * 4 + [
        "operation.report", "operation.complete"]
    assert mes.audit.verify() is None
