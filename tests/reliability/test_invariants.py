"""The invariants hold after every scenario of the project, and each check catches the breach it
is there for (a planted violation)."""
from __future__ import annotations

import glob
import os

import pytest

from harness import invariants
from harness.core.scenario import load_scenario

#: simulated_shift (45 s) is left to the soak, which replays the same plant with faults.
SCENARIOS = sorted(p for p in glob.glob("tests/scenarios/*.py")
                   if not os.path.basename(p).startswith("_") and not p.endswith("simulated_shift.py"))


def _run(path, make_gateway):
    scenario = load_scenario(path)
    gw = make_gateway(start=scenario.get("START"))
    scenario["run"](gw)
    return gw


@pytest.mark.parametrize("path", SCENARIOS, ids=[os.path.basename(p)[:-3] for p in SCENARIOS])
def test_every_invariant_holds_after_the_scenario(path, make_gateway):
    gw = _run(path, make_gateway)
    results = invariants.check_all(gw, until_ms=gw.system.date.toMillis(gw.system.date.now()))
    assert [(r.name, r.violations) for r in results if not r.ok] == []


@pytest.fixture
def traced(make_gateway):
    """A gateway after the split/merge trace scenario: lots, journal, edges and audit rows exist."""
    return _run("tests/scenarios/material_split_merge_trace.py", make_gateway)


def _sql(gw, sql, args=()):
    gw.system.db.runPrepUpdate(sql, list(args), "")


def test_a_lot_quantity_changed_outside_the_journal_breaks_material_conservation(traced):
    query = invariants.gateway_query(traced)
    assert invariants.material(query).ok
    _sql(traced, "UPDATE lots SET qty = qty + 1 WHERE unit_id = (SELECT MIN(unit_id) FROM lots)")
    result = invariants.material(query)
    assert len(result.violations) == 1 and "but its journal sums to" in result.violations[0]


def test_an_edge_to_a_unit_that_does_not_exist_is_dangling_and_a_loop_is_a_cycle():
    def query(sql):
        if "mat_units" in sql:
            return [(1,), (2,), (3,)]
        return [(10, 1, 2), (11, 2, 3), (12, 3, 1), (13, 9, 1)]
    assert invariants.genealogy(query).violations == ["edge 13 names unit 9, which does not exist",
                                                      "a cycle runs through unit 1"]


def test_a_tampered_audit_row_breaks_the_chain(traced):
    assert invariants.audit(traced).ok
    _sql(traced, "UPDATE audit_trail SET actor = 'mallory' WHERE seq = 2")
    result = invariants.audit(traced)
    assert len(result.violations) == 1 and "hash mismatch" in result.violations[0]


def test_overlapping_and_missing_oee_time_is_found():
    rows = [(1, "M1", 0, 1000, "running"), (2, "M1", 900, 2000, "fault"), (3, "M1", 2500, None, "idle")]
    result = invariants.oee_time(lambda sql: rows, until_ms=3000)
    assert result.violations == ["M1: overlap of 100 ms after interval 1", "M1: gap of 500 ms after interval 2",
                                 "M1: buckets sum to 2600 ms, calendar time is 3000 ms"]


def test_a_count_interval_with_more_scrap_than_produced_is_found():
    def query(sql):
        return [] if "wo_operations" in sql else [(7, "M1", 10, 8, 3)]
    assert invariants.production(query).violations == ["count interval 7 of M1: produced 10 < scrap 8 + rework 3"]


def test_a_message_the_erp_applied_twice_or_never_is_found():
    rows = [("m1", "sent"), ("m2", "sent"), ("m3", "pending")]
    result = invariants.outbox(lambda sql: rows, received_keys=["m1", "m1", "x9"])
    assert result.violations == ["sent message m1 took effect 2 times at the ERP",
                                 "sent message m2 took effect 0 times at the ERP",
                                 "the ERP holds x9, which the MES never queued"]
