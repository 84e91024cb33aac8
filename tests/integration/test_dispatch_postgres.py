"""Dispatch on PostgreSQL: the migrations apply, and two stations starting one operation at the
same instant end with exactly one winner and nothing half-written by the loser."""
import os
import threading

import pytest

from harness.core.gateway import Gateway
from harness.core.scenario import load_scenario
from harness.pytest_db import postgres_server, postgres_url  # noqa: F401  (fixtures)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PLANT = os.path.join(ROOT, "tests", "scenarios", "dispatch_shop_floor.py")
START_UPDATE = "UPDATE wo_operations SET status = ?, station_id = ?"

pytestmark = pytest.mark.postgres


@pytest.fixture
def gateway_pg(postgres_url):  # noqa: F811
    gateway = Gateway(project=os.path.join(ROOT, "project"), clock="virtual",
                      start="2026-01-05T06:00:00", databases={"genba": postgres_url},
                      default_database="genba")
    yield gateway
    gateway.shutdown()


def _count(gateway, sql):
    return gateway.system.db.runPrepQuery(sql, [], "")[0][0]


def test_two_stations_starting_the_same_operation_at_once_leave_exactly_one_winner(gateway_pg):
    gw = gateway_pg
    plant = load_scenario(PLANT)
    m = plant["build"](gw)
    m.workorder.release("erp", "WO-PG", "PUMP-100", "B", 4, "2026-01-06", 100)
    m.security.sign_in("ana", "ana-pw", "PRESS-1")
    m.operation.start("ana", "PRESS-1", "WO-PG", 10)
    plant["press_steps"](m, "WO-PG")
    m.operation.complete("ana", "PRESS-1", "WO-PG", 10, 4)
    m.security.sign_in("ben", "ben-pw", "TORQUE-1")
    m.security.sign_in("cy", "cy-pw", "TORQUE-2")
    audit_before = _count(gw, "SELECT COUNT(*) FROM audit_trail")

    # Both transactions read the operation as released before either updates it.
    barrier = threading.Barrier(2, timeout=30)
    original = gw.system.db.runPrepUpdate

    def update_after_both_checked(query, args=None, database="", tx=None, getKey=False,
                                  skipAudit=True):
        if query.startswith(START_UPDATE):
            barrier.wait()
        return original(query, args, database, tx, getKey, skipAudit)

    gw.system.db.runPrepUpdate = update_after_both_checked
    start = gw.library.resolve("mes.operation.start")
    outcome = {}

    def attempt(user, station):
        try:
            outcome[station] = start(user, station, "WO-PG", 20)["status"]
        except Exception as error:  # noqa: BLE001 - the loser's refusal is the result
            outcome[station] = type(error).__name__

    threads = [threading.Thread(target=attempt, args=a) for a in [("ben", "TORQUE-1"),
                                                                  ("cy", "TORQUE-2")]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    gw.system.db.runPrepUpdate = original

    assert sorted(outcome.values()) == ["OperationAlreadyStarted", "in_progress"]
    winner = [s for s, result in outcome.items() if result == "in_progress"][0]
    op = m.operation.get("WO-PG", 20)
    assert (op["status"], op["station_id"]) == ("in_progress", winner)
    # The winner wrote its start, its labor entry and their audit rows; the loser wrote nothing.
    assert _count(gw, "SELECT COUNT(*) FROM audit_trail") == audit_before + 2
    assert _count(gw, "SELECT COUNT(*) FROM labor_entries WHERE wo_id = 'WO-PG' AND "
                      "op_seq = 20") == 1
    assert m.audit.verify() is None


def test_the_shop_floor_scenario_gives_the_same_result_on_postgresql(gateway_pg, tmp_path):
    scenario = load_scenario(PLANT)
    result = scenario["run"](gateway_pg)
    assert (result["statuses_at_end"], result["labor"], result["audit_rows"],
            result["audit_broken"]) == (
        [[10, "complete"], [20, "complete"], [30, "complete"], [40, "skipped"],
         [50, "complete"]],
        [[10, "ana", 0.75], [20, "ben", 40 / 60.0], [30, "cy", 0.5], [50, "ana", 0.25]],
        60, None)
