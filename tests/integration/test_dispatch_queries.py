"""The dispatch named queries (project/db/queries/dispatch) agree with the mes functions."""
import os

import pytest

from harness.core.scenario import load_scenario

PLANT = os.path.join("tests", "scenarios", "dispatch_shop_floor.py")


@pytest.fixture
def floor(make_gateway):
    gw = make_gateway(start="2026-01-05T06:00:00")
    m = load_scenario(PLANT)["build"](gw)
    m.workorder.release("erp", "WO-1", "PUMP-100", "B", 3, "2026-01-06", 100)
    m.workorder.release("erp", "WO-2", "PUMP-100", "B", 3, "2026-01-05", 100)
    m.workorder.release("erp", "WO-3", "PUMP-100", "B", 3, "2026-01-05", 300)
    m.dispatch.resequence("lee", "L2-PRESS", [["WO-3", 10]], "rush")
    m.security.sign_in("ana", "ana-pw", "PRESS-1")
    m.operation.start("ana", "PRESS-1", "WO-1", 10)
    m.guidance.record("ana", "PRESS-1", "WO-1", 10, 1, "H-0001")
    gw.clock.advance(1800)
    m.security.sign_out("ana")
    return gw, m


def _rows(gw, path, params):
    return [list(row) for row in gw.system.db.runNamedQuery(path, params)]


def test_the_queue_query_orders_like_the_dispatch_queue(floor):
    gw, m = floor
    rows = _rows(gw, "dispatch/work_center_queue", {"work_center_id": "L2-PRESS"})
    assert [(r[0], r[1], r[8]) for r in rows] == [("WO-3", 10, 1), ("WO-2", 10, None)]
    assert [r[0] for r in rows] == [e["wo_id"] for e in m.dispatch.queue("L2-PRESS")]


def test_the_steps_query_shows_what_was_entered_and_what_is_missing(floor):
    gw, _ = floor
    rows = _rows(gw, "dispatch/operation_steps", {"wo_id": "WO-1", "op_seq": 10})
    assert [(r[0], r[1], r[3], r[4], r[5]) for r in rows] == [
        (1, "scan", True, "H-0001", "ana"), (2, "measurement", True, None, None),
        (3, "choice", True, None, None), (4, "check", True, None, None),
        (5, "text", False, None, None)]


def test_the_labor_query_gives_the_hours_of_mes_labor(floor):
    gw, m = floor
    assert _rows(gw, "dispatch/labor_hours", {"wo_id": "WO-1"}) == [
        ["WO-1", 10, "ana", "direct", 0.5, 1]]
    assert [r["hours"] for r in m.labor.hours("WO-1")] == [0.5]


def test_the_audit_query_lists_a_subjects_rows_oldest_first(floor):
    gw, _ = floor
    rows = _rows(gw, "dispatch/audit_for_subject", {"subject": "wo/WO-1/10"})
    assert [(r[2], r[3]) for r in rows] == [("ana", "operation.start"), ("ana", "guidance.record")]
