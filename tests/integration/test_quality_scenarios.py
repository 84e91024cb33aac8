"""The quality scenarios run on the project gateway (CPython here; the parity tests run them on
Jython and compare)."""
from __future__ import absolute_import, division, print_function

import os

from harness.core.scenario import load_scenario

SCENARIOS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "scenarios")


def test_a_drifting_gauge_is_caught_held_refused_dispositioned_and_released(gateway):
    result = load_scenario(os.path.join(SCENARIOS, "quality_gauge_drift.py"))["run"](gateway)
    assert result["limits"]["points"] == 20
    assert result["refused_bad_quality_readings"] == 1
    assert result["rule_fired_at_drift_step"] == 5
    assert [row[2] for row in result["drift"]] == ["pass"] * 5
    assert result["drift"][-1][3] == "N3"
    assert result["ncr"]["subject"] == ["wo", "WO-2001"]
    assert result["gate_op20"] == {"passed": False, "reasons": ["open NCR 1", "active hold 1"]}
    assert result["complete_op20_while_held"] == "quality_gate_blocked"
    assert result["start_op30_while_held"] == "quality_gate_blocked"
    assert result["disposition_by_operator"] == "missing_role"
    assert result["disposition_with_wrong_password"] == "authentication_failed"
    assert result["interlock_before_release"] is True
    assert result["released_holds"] == [1]
    assert (result["interlock_after_release"], result["spc_alarm_after_release"]) == (False, False)
    assert result["after_release"] == {"op30": "in_progress", "op20": "complete"}
    assert result["quality_audit"] == [
        "quality.plan.define", "quality.station.configure", "quality.gauge.configure",
        "quality.spc.limits", "quality.ncr.open", "quality.hold.place",
        "quality.ncr.disposition", "quality.hold.release"]


def test_the_quality_named_queries_list_readings_signals_and_open_ncrs(gateway):
    scenario = load_scenario(os.path.join(SCENARIOS, "quality_gauge_drift.py"))
    scenario["plant"](gateway)
    gateway.call("mes.quality.set_context", "TORQUE-1", "PUMP-100", "B", "WO-2001", 20, None,
                 "SN-9", "ana")

    def reading(value):
        gateway.clock.advance(0.3)
        gateway.update(scenario["GAUGE"], value)

    reading(12.0)
    reading(12.1)
    gateway.call("mes.spcmonitor.establish_limits", "quinn", 1)
    reading(13.4)
    db = gateway.system.db
    readings = db.runNamedQuery("quality/work_order_measurements", {"wo_id": "WO-2001"})
    assert [(row["characteristic"], row["value"], bool(row["passed"])) for row in readings] == [
        ("Torque", 12.0, True), ("Torque", 12.1, True), ("Torque", 13.4, False)]
    ncrs = db.runNamedQuery("quality/open_ncrs", {})
    assert [(row["ncr_id"], row["subject_kind"], row["subject"], row["hold_status"]) for row in ncrs] == [
        (1, "serial", "SN-9", "active"), (2, "wo", "WO-2001", "active")]
    signals = db.runNamedQuery("quality/spc_signals", {"char_id": 1})
    assert [(row["rule"], row["value"], row["hold_id"]) for row in signals] == [("N1", 13.4, 2)]
