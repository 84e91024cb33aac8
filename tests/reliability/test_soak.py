"""A short chaos soak: every kind of fault strikes at a seeded time and nothing is lost or
duplicated - counts equal the simulator's truth, the invariants hold, every ERP completion takes
effect once. The long run is `genba soak --hours N --seed S`."""
from __future__ import annotations

import os

import pytest

from harness.soak import KINDS, plan_faults, run_soak

HOURS = float(os.environ.get("GENBA_SOAK_HOURS", "0.1"))


def test_the_fault_plan_is_the_same_for_the_same_seed_and_holds_every_kind():
    first, _ = plan_faults(2, 11)
    second, _ = plan_faults(2, 11)
    assert first == second
    assert sorted(set(kind for _, kind in first)) == sorted(KINDS)


WITHOUT_RESETS = tuple(k for k in KINDS if k != "counter_reset")
RESETS = ("counter_reset", "stale", "bad_quality", "gateway_restart", "duplicate_ack")


def _check(report, kinds):
    # a gateway restart due during a database outage strikes as a stale tag instead
    assert set(kinds) - set(["gateway_restart"]) <= set(report["faults"]) <= set(kinds) | set(["stale"])
    assert [c["violations"] for c in report["invariants"]] == [[]] * 6
    assert report["truth"] and all(t["pq"] == t["outfeed"] and t["sq"] == t["reject"] for t in report["truth"])
    assert (report["parts_lost"], report["parts_duplicated"]) == (0, 0)
    assert report["erp"]["received_in_effect"] == report["erp"]["completions"] > 0
    assert report["erp"]["not_sent"] == 0
    floor = report["floor"]
    assert floor["work_orders"] >= 1 and floor["consumed_kg"] == floor["consumed_kg_journal"] > 0
    assert floor["gauge"]["delivered"] == floor["gauge"]["measured"] + floor["gauge"]["refused"] > 0
    assert floor["gauge"]["pending"] == 0 and floor["gauge"]["in_arrival_order"] is True
    assert report["script_errors"] == 0
    assert report["ok"] is True


@pytest.mark.postgres
def test_a_short_soak_on_postgresql_with_outages_restarts_and_bad_tags_loses_and_duplicates_nothing(postgres_url):
    _check(run_soak(HOURS, 6, postgres_url, kinds=WITHOUT_RESETS), WITHOUT_RESETS)


def test_a_short_soak_with_plc_restarts_and_no_database_outage_loses_and_duplicates_nothing():
    _check(run_soak(HOURS, 5, kinds=RESETS), RESETS)


def test_a_plc_restart_during_a_database_outage_loses_and_duplicates_nothing():
    report = run_soak(HOURS, 5, kinds=("db_outage", "counter_reset"), overlap=True)
    assert report["faults"] == {"db_outage": 1, "counter_reset": 1}
    assert (report["parts_lost"], report["parts_duplicated"]) == (0, 0)
    assert report["truth"] and all(t["pq"] == t["outfeed"] and t["sq"] == t["reject"] for t in report["truth"])
