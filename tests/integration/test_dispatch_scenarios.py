"""The dispatch scenarios on a gateway (virtual clock, SQLite), read as shop-floor facts.

Each scenario file in tests/scenarios also runs on real Jython in the parity tests; here its
result is pinned against the golden file in tests/cases/dispatch and its key facts are spelled out.
Each scenario runs once per module on a gateway configured like the `gateway` fixture's.
"""
import io
import json
import os

import pytest

from harness.core.gateway import Gateway
from harness.core.scenario import load_scenario, normalise

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCENARIOS = os.path.join(ROOT, "tests", "scenarios")
GOLDEN = os.path.join(ROOT, "tests", "cases", "dispatch")
NAMES = ["dispatch_shop_floor", "dispatch_bad_input", "dispatch_queue_and_labor",
         "dispatch_hold_and_interlock"]


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    found = {}
    for name in NAMES:
        database = tmp_path_factory.mktemp(name) / "genba.db"
        gateway = Gateway(project=os.path.join(ROOT, "project"), clock="virtual",
                          start="2026-01-05T06:00:00", databases={"genba": "sqlite:///%s" % database},
                          default_database="genba")
        try:
            found[name] = normalise(load_scenario(os.path.join(SCENARIOS, name + ".py"))["run"](
                gateway))
        finally:
            gateway.shutdown()
        assert gateway.errors == []
    return found


@pytest.mark.parametrize("name", NAMES)
def test_the_scenario_result_matches_its_golden_file(results, name):
    with io.open(os.path.join(GOLDEN, name + ".json"), encoding="utf-8") as handle:
        assert results[name] == json.load(handle)


@pytest.fixture
def shop_floor(results):
    return results["dispatch_shop_floor"]


def test_a_released_order_waits_ready_at_the_press(shop_floor):
    assert shop_floor["queue_at_press"] == [["WO-1001", 10, True]]


def test_starting_at_the_press_sets_its_permissive_and_the_status_tags(shop_floor):
    assert shop_floor["press_permissive_on_start"] is True
    assert shop_floor["press_status"] == ["running", "WO-1001", 10, "ana"]


def test_the_operator_sees_the_pinned_instruction_steps(shop_floor):
    assert shop_floor["steps_shown"] == [[1, "scan", True], [2, "measurement", True],
                                         [3, "choice", True], [4, "check", True],
                                         [5, "text", False]]


def test_completing_the_press_books_quantities_and_drops_the_permissive(shop_floor):
    assert shop_floor["press_done"] == ["complete", 9.0, 1.0, "2026-01-05T06:45:00.000Z"]
    assert shop_floor["press_permissive_after_complete"] is False
    assert shop_floor["pack_waits_for"] == [20, 30]


def test_parallel_operations_run_together_and_the_optional_mark_is_skipped(shop_floor):
    assert shop_floor["both_running"] == [[10, "complete"], [20, "in_progress"],
                                          [30, "in_progress"], [40, "released"],
                                          [50, "released"]]
    assert shop_floor["statuses_at_end"] == [[10, "complete"], [20, "complete"],
                                             [30, "complete"], [40, "skipped"],
                                             [50, "complete"]]


def test_the_order_completes_with_pack_and_a_lead_closes_it(shop_floor):
    assert shop_floor["wo_after_pack"] == "complete"
    assert shop_floor["wo_closed"] == ["closed", "2026-01-05T07:40:00.000Z",
                                       "2026-01-05T07:40:00.000Z"]


def test_labor_hours_per_operation_and_operator(shop_floor):
    assert shop_floor["labor"] == [[10, "ana", 0.75], [20, "ben", 40 / 60.0],
                                   [30, "cy", 0.5], [50, "ana", 0.25]]


def test_the_audit_trail_of_the_day_is_intact(shop_floor):
    assert shop_floor["audit_broken"] is None
    assert shop_floor["audit_rows"] == 60


@pytest.fixture
def refusals(results):
    return results["dispatch_bad_input"]


@pytest.mark.parametrize("case, error", [
    ("not_signed_in", "NotSignedIn"), ("without_role", "MissingRole"),
    ("wrong_station", "WrongStation"), ("out_of_routing_order", "RoutingViolation"),
    ("unknown_work_order", "UnknownWorkOrder"), ("unknown_operation", "UnknownOperation"),
    ("wrong_password", "AuthenticationFailed"), ("signature_by_wrong_role", "MissingRole"),
    ("held_work_order", "WorkOrderHeld"), ("complete_before_steps", "StepsIncomplete"),
    ("more_than_released", "QuantityExceedsReleased"),
    ("second_station_same_op", "OperationAlreadyStarted"),
])
def test_each_refusal_names_the_problem_and_writes_nothing(refusals, case, error):
    assert (refusals[case]["error"], refusals[case]["unchanged"]) == (error, True)


def test_a_hold_reason_that_looks_like_sql_is_stored_verbatim(refusals):
    assert refusals["hold_reason_verbatim"] == \
        "'; UPDATE work_orders SET status = 'released'; --"


def test_after_the_refusals_the_floor_is_where_it_should_be(refusals):
    assert refusals["statuses"] == [[10, "complete"], [20, "in_progress"], [30, "released"],
                                    [40, "released"], [50, "released"]]
    assert refusals["audit_broken"] is None


def test_a_hold_drops_the_permissive_and_release_leaves_the_operation_paused(results):
    result = results["dispatch_hold_and_interlock"]
    assert [[step, s["op"], s["permissive"], s["tags"][0]] for step, s in result["timeline"]] == [
        ["released", "released", False, "idle"], ["started", "in_progress", True, "running"],
        ["paused", "paused", False, "paused"], ["resumed", "in_progress", True, "running"],
        ["held", "held", False, "held"], ["hold released", "paused", False, "paused"],
        ["resumed again", "in_progress", True, "running"]]
    assert result["resume_while_held"]["error"] == "WorkOrderHeld"


def test_the_queue_follows_priority_due_date_and_the_leads_resequence(results):
    result = results["dispatch_queue_and_labor"]
    assert [e[0] for e in result["default_order"]] == ["WO-3004", "WO-3002", "WO-3001", "WO-3003"]
    assert result["after_resequence"] == [["WO-3003", 1], ["WO-3001", 2], ["WO-3004", None],
                                          ["WO-3002", None]]
    assert result["hours"] == [
        ["direct", "WO-3003", 10, "ana", None, 20 / 60.0, 1],
        ["direct", "WO-3003", 20, "ben", None, 0.75, 1],
        ["direct", "WO-3003", 20, "cy", None, 40 / 60.0, 1],
        ["indirect", None, None, "ana", "5S", 10 / 60.0, 1],
        ["indirect", None, None, "ben", "5S", 20 / 60.0, 1]]


def test_on_the_gateway_fixture_a_pressed_pump_makes_torque_and_vision_ready(gateway):
    plant = load_scenario(os.path.join(SCENARIOS, "dispatch_shop_floor.py"))
    m = plant["build"](gateway)
    m.workorder.release("erp", "WO-7", "PUMP-100", "B", 1, "2026-01-06", 100)
    m.security.sign_in("ana", "ana-pw", "PRESS-1")
    m.operation.start("ana", "PRESS-1", "WO-7", 10)
    assert gateway.read("[default]Genba/Plant1/Assembly/Line2/Press/Permissive").value is True
    plant["press_steps"](m, "WO-7")
    m.operation.complete("ana", "PRESS-1", "WO-7", 10, 1)
    assert [(e["wo_id"], e["op_seq"], e["ready"]) for e in m.dispatch.queue("L2-TORQUE")] + \
        [(e["wo_id"], e["op_seq"], e["ready"]) for e in m.dispatch.queue("L2-VISION")] == [
        ("WO-7", 20, True), ("WO-7", 30, True)]
    assert gateway.read("[default]Genba/Dispatch/L2-TORQUE/NextWO").value == "WO-7"
