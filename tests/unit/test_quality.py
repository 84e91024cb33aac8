"""mes.inspection, mes.nonconformance and mes.quality over a small in-process host (sqlite3)."""
from __future__ import absolute_import, division, print_function

import datetime

import pytest

from harness.pytest_db import postgres_server, postgres_url  # noqa: F401  (fixtures)
from quality_host import QualityHost as Host

GAUGE = "[default]Genba/Plant1/Assembly/Line2/TorqueStation1/Torque"
FOLDER = "[default]Genba/Quality/TS1"
ITERATIONS = 1000


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def host(request, tmp_path):
    if request.param == "postgres":
        host = Host(request.getfixturevalue("postgres_url"))
    else:
        host = Host("sqlite:///" + str(tmp_path / "genba.db"))
    sec = host.mes.security
    sec.bootstrap_admin("admin", "admin-pw", ITERATIONS)
    sec.create_user("admin", "olga", "op-pw", ["operator"], iterations=ITERATIONS)
    sec.create_user("admin", "quinn", "qa-pw", ["quality"], iterations=ITERATIONS)
    host.execute(
        "INSERT INTO work_orders (wo_id, item_id, item_revision, qty_released, due_date, priority, "
        "status, released_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        ["WO-1", "BRACKET", "B", 10.0, datetime.datetime(2026, 1, 6), 1, "released",
         datetime.datetime(2026, 1, 5, 6)])
    host.mes.inspection.define_plan("admin", "BRACKET", "B", 20, [
        {"name": "Torque", "nominal": 12.0, "lsl": 11.0, "usl": 13.0, "units": "N.m",
         "gauge_tag": GAUGE, "sample_size": 2, "spc_rules": "N2,N3", "spc_center": 12.0,
         "spc_sigma": 0.1, "spc_hold": True},
        {"name": "Marking", "kind": "attribute", "required": False},
    ])
    q = host.mes.quality
    q.configure_station("admin", "TS1")
    q.configure_gauge("admin", GAUGE, "TS1", "N.m", 0.0, 50.0)
    q.set_context("TS1", "BRACKET", "B", "WO-1", 20, lot="L-7", serial="SN-1", operator="olga")
    yield host
    host.close()


def test_a_passing_reading_is_stored_with_its_context_and_clears_reject(host):
    verdict = host.mes.quality.on_gauge_change(GAUGE, 12.05, True)
    assert (verdict["passed"], verdict["ncr_id"], verdict["signals"]) == (True, None, [])
    [m] = host.mes.inspection.measurements("WO-1", 20)
    assert (m["value"], m["units"], m["lot"], m["serial"], m["operator"], m["station_id"],
            m["source"], m["measured_at"]) == (12.05, "N.m", "L-7", "SN-1", "olga", "TS1", "gauge",
                                              "2026-01-05T06:00:00.000Z")
    tags = host.system.tag.values
    assert (tags[FOLDER + "/LastVerdict"], tags[FOLDER + "/Reject"]) == ("pass", False)


def test_a_reading_outside_spec_rejects_interlocks_holds_the_serial_and_opens_an_ncr(host):
    verdict = host.mes.quality.on_gauge_change(GAUGE, 13.5, True)
    assert verdict["passed"] is False
    tags = host.system.tag.values
    assert (tags[FOLDER + "/Reject"], tags[FOLDER + "/Interlock"]) == (True, True)
    ncr = host.mes.nonconformance.get(verdict["ncr_id"])
    assert (ncr["status"], ncr["subject_kind"], ncr["subject"]) == ("open", "serial", "SN-1")
    assert host.mes.nonconformance.is_on_hold("serial", "SN-1") is True
    gate = host.mes.quality.gate_status("WO-1", 20)
    assert gate["passed"] is False
    assert gate["reasons"] == ["missing inspection: Torque (op 20)",
                               "failed inspection: Torque (op 20)", "open NCR 1", "active hold 1"]
    assert gate["reason"] == "; ".join(gate["reasons"])


def test_gate_needs_the_sample_size_of_required_readings_and_ignores_optional_checks(host):
    q = host.mes.quality
    q.on_gauge_change(GAUGE, 12.0, True)
    assert q.gate_status("WO-1", 20)["missing"] == ["Torque (op 20)"]
    q.on_gauge_change(GAUGE, 11.0, True)  # LSL itself conforms
    assert q.gate_status("WO-1", 20) == {
        "passed": True, "wo_id": "WO-1", "op_seq": 20, "missing": [], "failed": [],
        "open_ncrs": [], "holds": [], "reasons": [], "reason": ""}
    assert q.start_status("WO-1", 30)["passed"] is True
    assert q.require_gate("WO-1", 20)["passed"] is True


def test_next_operation_may_not_start_before_the_earlier_gate_passes(host):
    status = host.mes.quality.start_status("WO-1", 30)
    assert status["passed"] is False and status["missing"] == ["Torque (op 20)"]
    with pytest.raises(host.mes.quality.GateNotPassed) as caught:
        host.mes.quality.require_gate("WO-1", 30, starting=True)
    assert "missing inspection: Torque (op 20)" in str(caught.value)


@pytest.mark.parametrize("raw,quality,error", [
    (12.0, False, "BadQualityReading"),
    (None, False, "BadQualityReading"),
    (75.0, True, "OutOfGaugeRange"),
    ("12,0", True, "NonNumericEntry"),
    (None, True, "NonNumericEntry"),
])
def test_a_gauge_reading_that_cannot_be_judged_is_refused_and_kept(host, raw, quality, error):
    before = host.table("SELECT COUNT(*) FROM qc_measurements")
    with pytest.raises(getattr(host.mes.inspection, error)):
        host.mes.quality.on_gauge_change(GAUGE, raw, quality)
    assert host.table("SELECT COUNT(*) FROM qc_measurements") == before
    [row] = host.table("SELECT char_id, wo_id, source, raw_value, reason_code FROM qc_refused_readings")
    assert row[:3] == (1, "WO-1", "gauge")
    assert row[3] == (None if raw is None else str(raw))
    assert host.system.tag.values[FOLDER + "/LastVerdict"] == "refused"


def test_an_operator_entry_in_another_unit_is_refused_as_unit_mismatch(host):
    with pytest.raises(host.mes.inspection.UnitMismatch) as caught:
        host.mes.quality.enter_measurement("olga", "TS1", "Torque", "12.1", "lbf.ft")
    assert "'lbf.ft'" in caught.value.message and "'N.m'" in caught.value.message
    assert host.table("SELECT reason_code FROM qc_refused_readings") == [("unit_mismatch",)]


def test_an_operator_enters_numbers_as_text_and_attribute_checks_as_pass_or_fail(host):
    q = host.mes.quality
    assert q.enter_measurement("olga", "TS1", "Torque", " 12.2 ")["value"] == 12.2
    assert q.enter_measurement("olga", "TS1", "Marking", "pass")["passed"] is True
    assert q.enter_measurement("olga", "TS1", "Marking", "FAIL")["passed"] is False
    with pytest.raises(host.mes.inspection.NonNumericEntry):
        q.enter_measurement("olga", "TS1", "Marking", "maybe")


def test_an_entry_by_someone_without_the_operator_role_is_refused(host):
    with pytest.raises(host.mes.security.MissingRole):
        host.mes.quality.enter_measurement("quinn", "TS1", "Torque", "12.1")


def test_spc_rule_hit_raises_the_alarm_and_holds_the_work_order(host):
    q = host.mes.quality
    verdicts = [q.on_gauge_change(GAUGE, 12.0 + 0.01 * i, True) for i in range(1, 10)]
    assert [v["signals"] for v in verdicts[:5]] == [[], [], [], [], []]
    assert verdicts[5]["signals"] == ["N3"]  # six rising points
    assert verdicts[5]["spc_ncr_id"] is not None
    assert verdicts[8]["signals"] == ["N2", "N3"]
    assert verdicts[8]["spc_ncr_id"] is None  # the work order is already on hold
    tags = host.system.tag.values
    assert (tags[FOLDER + "/SpcAlarm"], tags[FOLDER + "/SpcRule"], tags[FOLDER + "/Interlock"]) == (
        True, "N2,N3", True)
    assert host.mes.nonconformance.is_on_hold("wo", "WO-1") is True
    assert [s["rule"] for s in host.mes.spcmonitor.signals(1)] == ["N3", "N3", "N3", "N2", "N3"]


def test_disposition_needs_the_quality_role_and_a_valid_signature_and_then_releases(host):
    q, nc = host.mes.quality, host.mes.nonconformance
    ncr_id = q.on_gauge_change(GAUGE, 10.2, True)["ncr_id"]
    before = host.snapshot()
    with pytest.raises(host.mes.security.MissingRole):
        q.disposition("olga", "op-pw", ncr_id, "rework")
    with pytest.raises(host.mes.security.AuthenticationFailed):
        q.disposition("quinn", "wrong", ncr_id, "rework")
    with pytest.raises(host.mes.errors.InvalidInput):
        q.disposition("quinn", "qa-pw", ncr_id, "recycle")
    assert host.snapshot() == before
    result = q.disposition("quinn", "qa-pw", ncr_id, "rework", "re-torque")
    assert result["released_holds"] == [1]
    assert nc.get(ncr_id)["disposition"] == "rework"
    assert nc.is_on_hold("serial", "SN-1") is False
    assert host.system.tag.values[FOLDER + "/Interlock"] is False
    actions = [r[0] for r in host.table("SELECT action FROM audit_trail ORDER BY seq")]
    assert actions[-3:] == ["security.sign", "quality.ncr.disposition", "quality.hold.release"]
    with pytest.raises(host.mes.errors.StateConflict):
        q.disposition("quinn", "qa-pw", ncr_id, "scrap")


def test_the_interlock_stays_while_another_hold_remains_at_the_station(host):
    q = host.mes.quality
    first = q.on_gauge_change(GAUGE, 13.4, True)["ncr_id"]
    second = q.on_gauge_change(GAUGE, 13.6, True)["ncr_id"]
    q.disposition("quinn", "qa-pw", first, "scrap")
    assert host.system.tag.values[FOLDER + "/Interlock"] is True
    q.disposition("quinn", "qa-pw", second, "return")
    assert host.system.tag.values[FOLDER + "/Interlock"] is False


def test_establish_limits_sets_centre_and_moving_range_sigma(host):
    q = host.mes.quality
    for value in (12.0, 12.2, 11.9, 12.1):
        q.on_gauge_change(GAUGE, value, True)
    limits = host.mes.spcmonitor.establish_limits("admin", 1)
    assert limits["points"] == 4
    assert round(limits["center"], 6) == 12.05
    assert round(limits["sigma"], 6) == round((0.2 + 0.3 + 0.2) / 3 / 1.1283792, 6)


@pytest.mark.parametrize("spec,fragment", [
    ({"name": "X", "units": "mm"}, "needs an LSL or a USL"),
    ({"name": "X", "lsl": 2.0, "usl": 1.0, "units": "mm"}, "is above USL"),
    ({"name": "X", "lsl": 1.0}, "needs units"),
    ({"name": "X", "usl": 1.0, "units": "mm", "frequency": "every_n"}, "frequency_value"),
    ({"name": "X", "usl": 1.0, "units": "mm", "sample_size": 0}, "Sample size"),
    ({"name": "X", "usl": 1.0, "units": "mm", "spc_rules": "N9"}, "N9"),
    ({"name": "X", "usl": "one", "units": "mm"}, "usl"),
    ({"name": " "}, "needs a name"),
])
def test_a_bad_characteristic_is_refused_and_no_plan_is_written(host, spec, fragment):
    before = host.snapshot()
    with pytest.raises(host.mes.errors.InvalidInput) as caught:
        host.mes.inspection.define_plan("admin", "BRACKET", "B", 30, [spec])
    assert fragment in caught.value.message
    assert host.snapshot() == before


def test_sampling_frequency_decides_when_the_next_sample_is_due(host):
    due = host.mes.inspection.due
    every_n = {"frequency": "every_n", "frequency_value": 5}
    per_time = {"frequency": "per_time", "frequency_value": 600}
    assert due({"frequency": "every"}, None, None) is True
    assert (due(every_n, 4, 0), due(every_n, 5, 0)) == (False, True)
    assert (due(per_time, 99, 599), due(per_time, 0, 600)) == (False, True)


def test_chart_of_stored_readings_groups_by_sample_size_and_judges_with_the_rules(host):
    q, insp = host.mes.quality, host.mes.inspection
    values = [12.0, 12.1, 11.9, 12.2, 12.0, 11.8, 12.1, 12.0]
    for value in values:
        q.on_gauge_change(GAUGE, value, True)
    imr = insp.chart(1)
    assert imr["chart"]["x"]["points"] == values
    assert imr["capability"]["method"] == "mr"
    bars = insp.chart(1, "xbar_r")
    assert bars["chart"]["xbar"]["points"] == [12.05, 12.05, 11.9, 12.05]
    assert bars["chart"]["n"] == 2
    assert insp.chart(1, "imr", last=3)["chart"]["x"]["points"] == [11.8, 12.1, 12.0]
    with pytest.raises(host.mes.errors.InvalidInput):
        insp.chart(1, "pareto")
    with pytest.raises(host.mes.errors.InvalidInput):
        insp.chart(2)


@pytest.mark.parametrize("decision,gate_after", [
    ("use-as-is", {"missing": [], "failed": []}),
    ("scrap", {"missing": ["Torque (op 20)"], "failed": []}),
    ("rework", {"missing": ["Torque (op 20)"], "failed": []}),
])
def test_a_dispositioned_failure_no_longer_blocks_but_only_use_as_is_counts_as_a_reading(
        host, decision, gate_after):
    q = host.mes.quality
    q.on_gauge_change(GAUGE, 12.0, True)
    ncr_id = q.on_gauge_change(GAUGE, 13.2, True)["ncr_id"]
    assert q.gate_status("WO-1", 20)["failed"] == ["Torque (op 20)"]
    q.disposition("quinn", "qa-pw", ncr_id, decision)
    gate = q.gate_status("WO-1", 20)
    assert {"missing": gate["missing"], "failed": gate["failed"]} == gate_after
    assert gate["passed"] is (decision == "use-as-is")


@pytest.mark.parametrize("name", ["inspection", "nonconformance", "quality", "spcmonitor"])
def test_public_names_of_the_quality_modules_are_sorted_and_defined(tmp_path, name):
    host = Host("sqlite:///" + str(tmp_path / "g.db"))
    module = getattr(host.mes, name)
    assert list(module.__all__) == sorted(module.__all__)
    assert [n for n in module.__all__ if not hasattr(module, n)] == []
    host.close()


def test_a_reading_with_nothing_to_book_it_to_is_refused_and_kept(host):
    host.mes.quality.set_context("TS1", None, None, None, None)
    with pytest.raises(host.mes.errors.StateConflict) as caught:
        host.mes.quality.on_gauge_change(GAUGE, 12.0, True)
    assert "runs no operation" in caught.value.message
    with pytest.raises(host.mes.errors.NotFound):
        host.mes.quality.on_gauge_change("[default]Nowhere/Gauge", 1.0, True)
    assert host.table("SELECT COUNT(*) FROM qc_measurements") == [(0,)]
    assert host.table("SELECT station_id, raw_value, reason_code FROM qc_refused_readings "
                      "ORDER BY id") == [("TS1", "12.0", "state_conflict"),
                                         (None, "1.0", "not_found")]
