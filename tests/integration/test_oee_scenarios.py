"""OEE scenarios with exact timelines; the numbers are computed by hand in each scenario's docstring."""
from __future__ import absolute_import, division, print_function

import pytest

import os
import types

from harness.core.scenario import load_scenario
from harness.pytest_db import postgres_server, postgres_url  # noqa: F401 (fixtures)

SCENARIOS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scenarios")


def _scenario(name):
    namespace = load_scenario(os.path.join(SCENARIOS, name + ".py"))
    module = types.SimpleNamespace(**namespace)
    module.name = name
    return module


oee_shift = _scenario("oee_shift")
oee_reasons = _scenario("oee_reasons")
oee_line = _scenario("oee_line")
oee_bad_input = _scenario("oee_bad_input")

MIN = 60000


@pytest.fixture
def gw(make_gateway):
    return make_gateway(start=oee_shift.START)


def test_early_shift_with_every_loss_gives_the_hand_computed_oee(gw):
    r = oee_shift.run(gw)
    assert r["buckets"] == {"running": 379 * MIN, "short_stop": 1 * MIN, "unplanned": 30 * MIN,
                            "break": 30 * MIN, "changeover": 30 * MIN, "starved": 10 * MIN}
    assert (r["APT"], r["ADET"], r["ADOT"], r["AUST"], r["PDOT"], r["PBT"]) == (
        380 * MIN, 30 * MIN, 10 * MIN, 30 * MIN, 30 * MIN, 450 * MIN)
    assert (r["PQ"], r["SQ"], r["RQ"], r["GQ"]) == (70000, 700, 0, 69300)
    assert r["A"] == pytest.approx(380 / 450, abs=1e-12)
    assert r["P"] == pytest.approx(350 / 380, abs=1e-12)
    assert r["Q"] == 0.99
    assert r["OEE"] == pytest.approx(0.77, abs=1e-12)
    assert r["pareto"] == [["changeover", 30 * MIN, 1], ["jam", 20 * MIN, 1],
                           ["electrical", 10 * MIN, 1], ["starved", 10 * MIN, 1],
                           ["unassigned", 1 * MIN, 1]]
    assert (r["MTTR_s"], r["MTBF_s"]) == (1200.0, 11400.0)
    assert r["performance_over_100"] is False


def test_live_tags_show_the_shift_figures(gw):
    r = oee_shift.run(gw)
    t = r["tags"]
    assert t["OEE"] == pytest.approx(0.77, abs=1e-12)
    assert (t["Good"], t["Total"], t["Scrap"], t["State"], t["Category"]) == (
        69300, 70000, 700, 1, "running")
    assert t["Shift"] == "2026-01-05 Early"
    assert (t["MTBF"], t["MTTR"]) == (11400.0, 1200.0)


@pytest.mark.parametrize("restarts", [(70, 245, 315), (100, 150.5, 405)])
def test_gateway_restart_mid_shift_gives_the_same_shift_oee(make_gateway, restarts):
    plain = oee_shift.run(make_gateway(start=oee_shift.START))
    restarted = oee_shift.run(make_gateway(start=oee_shift.START), restarts=restarts)
    assert restarted == plain


def test_operator_split_is_audited_and_bad_splits_change_nothing(gw):
    r = oee_reasons.run(gw)
    assert r["outcomes"] == ["missing_role", "ok", "overlapping_downtime_reasons",
                             "not_found", "downtime_split_outside_event"]
    assert r["pareto"] == [["jam", 12 * MIN, 1], ["material", 8 * MIN, 1]]
    assert r["named_query"] == [["jam", 12 * MIN, 1], ["material", 8 * MIN, 1]]
    assert len(r["changes"]) == 1 and r["changes"][0][0] == "alice"
    assert r["audit"] == [["alice", "oee.downtime.reason", "oee_state_intervals/%d" % r["event_id"],
                           "operator entry"]]


def test_line_oee_is_good_output_at_the_constraint_rate_over_its_planned_time(gw):
    r = oee_line.run(gw)
    line, filler = r["line"], r["filler"]
    assert (line["constraint"], line["output"]) == ("Line1/Filler", "Line1/Palletizer")
    assert (line["PQ"], line["GQ"], line["APT"], line["PBT"]) == (18500, 18315, 100 * MIN, 120 * MIN)
    assert line["A"] == pytest.approx(100 / 120, abs=1e-12)
    assert line["P"] == pytest.approx(0.925, abs=1e-12)
    assert line["Q"] == 0.99
    assert line["OEE"] == pytest.approx(0.763125, abs=1e-12)
    assert filler["P"] == pytest.approx(0.95, abs=1e-12) and filler["Q"] == 1.0
    assert filler["OEE"] == pytest.approx(0.95 * 100 / 120, abs=1e-12)
    assert r["line_tags"]["OEE"] == pytest.approx(0.763125, abs=1e-12)
    assert (r["line_tags"]["Good"], r["line_tags"]["Constraint"]) == (18315, "Line1/Filler")


def test_bad_input_is_counted_as_unknown_flagged_or_refused(gw):
    r = oee_bad_input.run(gw)
    assert r["counts"] == [["WO-1", 406], ["WO-2", 100]]
    assert (r["wo1"]["PQ"], r["wo1"]["APT"], r["wo1"]["ADET"], r["wo1"]["PBT"]) == (
        406, 38 * MIN, 7 * MIN, 45 * MIN)
    assert r["wo1_unknown_ms"] == 7 * MIN
    assert r["wo1"]["A"] == pytest.approx(38 / 45, abs=1e-12)
    assert r["wo1"]["P"] == pytest.approx(121.8 / 2280, abs=1e-12)
    assert r["wo1"]["Q"] == 1.0
    assert r["frozen"] == [True, False, True]
    assert r["window_error"] == "missing_ideal_rate"
    assert r["status_names_rate_and_product"] == [True, True, True, True]


def test_state_change_during_an_outage_starts_at_the_tag_timestamp_after_unknown_time(gw):
    """0-10 running; the project is down 10-15 (intervals closed by shutdown); the device went to
    changeover (7) at 12 and reports that reading, stamped 12, when the project is back at 15.

    Running 0-10, unknown 10-12 (the outage before the change), changeover 12-20. Window 0-20.
    """
    gw.call("mes.oeeconfig.configure", oee_shift.CONFIG)
    gw.update(oee_shift.MACHINE + "State", 1)
    gw.clock.advance(10 * 60)
    gw.shutdown()
    gw.clock.advance(5 * 60)
    # the first reading after the start, as the startup reconciliation sees it
    gw.call("mes.oeerecord.on_state", "Line1/Filler", 7, True, oee_shift.START_MS + 12 * MIN)
    gw.clock.advance(5 * 60)
    k = gw.call("mes.oeelive.machine_kpis", "Line1/Filler", oee_shift.START_MS,
                oee_shift.START_MS + 20 * MIN)
    assert dict((b, v) for b, v in k["buckets"].items() if v) == {
        "running": 10 * MIN, "unknown": 2 * MIN, "changeover": 8 * MIN}
    rows = gw.call("mes.oeerecord.query", "SELECT category, start_ms, end_ms, closed_by FROM "
                   "oee_state_intervals ORDER BY start_ms, id", [])
    assert [(r["category"], (r["start_ms"] - oee_shift.START_MS) // MIN,
             None if r["end_ms"] is None else (r["end_ms"] - oee_shift.START_MS) // MIN,
             r["closed_by"]) for r in rows] == [
        ("running", 0, 10, "shutdown"), ("unknown", 10, 12, "change"), ("changeover", 12, None, None)]


def test_no_interval_is_opened_until_a_good_reading_after_a_shutdown(gw):
    gw.call("mes.oeeconfig.configure", oee_shift.CONFIG)
    gw.update(oee_shift.MACHINE + "State", 1)
    gw.clock.advance(10 * 60)
    gw.shutdown()
    gw.clock.advance(5 * 60)
    assert gw.call("mes.oeerecord.on_state", "Line1/Filler", 1, False) is False
    assert gw.call("mes.oeerecord.open_interval", "Line1/Filler") is None
    assert gw.call("mes.oeerecord.on_state", "Line1/Filler", 1, True,
                   oee_shift.START_MS + 5 * MIN) is True
    k = gw.call("mes.oeelive.machine_kpis", "Line1/Filler", oee_shift.START_MS,
                oee_shift.START_MS + 15 * MIN)
    assert dict((b, v) for b, v in k["buckets"].items() if v) == {"running": 15 * MIN}


def test_a_restart_with_the_state_unchanged_reopens_the_same_interval(gw):
    gw.call("mes.oeeconfig.configure", oee_shift.CONFIG)
    oee_shift.play(gw, [(0, "State", 1), (5, "State", 5)], 6, restarts=(5.5,))
    rows = gw.call("mes.oeerecord.query", "SELECT category, start_ms, end_ms, closed_by FROM "
                   "oee_state_intervals ORDER BY start_ms, id", [])
    assert [(r["category"], r["end_ms"] is None, r["closed_by"]) for r in rows] == [
        ("running", False, "change"), ("unplanned", True, None)]


@pytest.mark.postgres
@pytest.mark.parametrize("scenario", [oee_shift, oee_reasons, oee_line, oee_bad_input],
                         ids=lambda m: m.name)
def test_scenarios_give_the_same_figures_on_postgresql_as_on_sqlite(make_gateway, postgres_url,
                                                                     scenario):
    on_sqlite = scenario.run(make_gateway(start=oee_shift.START))
    on_postgres = scenario.run(make_gateway(start=oee_shift.START,
                                            databases={"genba": postgres_url},
                                            default_database="genba"))
    assert on_postgres == on_sqlite


def test_between_shifts_the_shift_figures_are_those_of_the_last_shift(gw):
    oee_shift.run(gw)
    gw.clock.advance(3600)
    k = gw.call("mes.oeelive.shift_kpis", "Line1/Filler")
    assert k["window"] == [oee_shift.START_MS, oee_shift.START_MS + 480 * MIN]
    assert k["OEE"] == pytest.approx(0.77, abs=1e-12)
    assert gw.read("[default]OEE/Line1/Filler/Shift").value == "2026-01-05 Early"
    assert gw.read("[default]OEE/Line1/Filler/StateSeconds").value == pytest.approx(
        (70 + 60) * 60.0, abs=10.0)


def test_a_database_outage_loses_no_counts_and_the_timer_records_the_state_afterwards(gw):
    """DB off 10-20 min. 0 running, outfeed 0; 12 fault, 13 outfeed 2400, 15 running, 17 starved
    (all while the DB is off: the events log a warning and end); 25 outfeed 3000. At 30 min:
    the first timer tick after 20 recorded starved from its tag timestamp 17, so running 0-17
    and starved 17-30 (the fault 12-15 happened unseen); PQ = 3000 (2400 + 600, from the stored
    reading 0), nothing counted twice, no script error.
    """
    from harness.core.db import SwitchableConnector
    service = gw.system.db._service
    switch = SwitchableConnector(service.connector("genba"))
    service.set_connector("genba", switch)
    gw.call("mes.oeeconfig.configure", oee_shift.CONFIG)
    steps = [(0, "State", 1), (0, "OutfeedCount", 0), (10, None, "off"), (12, "State", 5),
             (13, "OutfeedCount", 2400), (15, "State", 1), (17, "State", 3), (20, None, "on"),
             (25, "OutfeedCount", 3000), (30, None, None)]
    elapsed = 0
    for minute, member, value in steps:
        gw.clock.advance((minute - elapsed) * 60)
        elapsed = minute
        if member is None and value is not None:
            switch.available = value == "on"
        elif member is not None:
            gw.update(oee_shift.MACHINE + member, value)
    k = gw.call("mes.oeelive.machine_kpis", "Line1/Filler", oee_shift.START_MS,
                oee_shift.START_MS + 30 * MIN)
    assert dict((b, v) for b, v in k["buckets"].items() if v) == {
        "running": 17 * MIN, "starved": 13 * MIN}
    assert k["PQ"] == 3000
    assert gw.errors == []
