"""A torque gauge drifts: SPC rule fires, the work order is held, the next operation is refused,
the NCR is dispositioned with a quality signature and the hold is released.

Plan: BRACKET rev B op 20 "Torque" 12.0 Nm (11.0..13.0), read by TorqueStation1's Torque tag,
rules N1,N2,N3,N5,N6, hold on a hit. Twenty in-control readings establish the individuals
chart; then the gauge drifts upward by 0.02 Nm per part (still inside the specification) until
a rule fires.
"""
from __future__ import absolute_import, division, print_function

PROJECT = "project"
START = "2026-01-05T06:00:00"

GAUGE = "[default]Genba/Plant1/Assembly/Line2/TorqueStation1/Torque"
TAGS = "[default]Genba/Quality/TorqueStation1/"
BASELINE = [12.02, 11.96, 12.05, 11.98, 12.01, 11.97, 12.04, 11.99, 12.03, 11.95,
            12.00, 12.06, 11.97, 12.02, 11.99, 12.03, 11.96, 12.01, 12.04, 11.98]


def _sql(gw, sql, args):
    gw.system.db.runPrepUpdate(sql, args, "")


def _error_code(call, *args):
    try:
        call(*args)
    except Exception as error:  # the MesError leaf tells which refusal it was
        return getattr(error, "code", type(error).__name__)
    return None


def _tag(gw, name):
    return gw.read(TAGS + name).value


def _reading(gw, value, quality=None):
    gw.clock.advance(0.3)
    gw.update(GAUGE, value, quality)


def setup(gw):
    """Users, a released work order, the plan, the station, its gauge and context."""
    call = gw.call
    call("mes.security.bootstrap_admin", "admin", "admin-pw", 1000)
    call("mes.security.create_user", "admin", "olga", "op-pw", ["operator"], None, 1000)
    call("mes.security.create_user", "admin", "quinn", "qa-pw", ["quality"], None, 1000)
    _sql(gw, "INSERT INTO work_center (work_center_id, description) VALUES (?, ?)", ["WC-L2", "Line 2"])
    _sql(gw, "INSERT INTO work_order (wo_id, item_id, item_revision, qty_released, due_date, "
             "priority, status, released_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
         ["WO-2001", "BRACKET", "B", 500.0, "2026-01-06", 1, "released", "2026-01-05T06:00:00.000Z"])
    call("mes.inspection.define_plan", "admin", "BRACKET", "B", 20, [
        {"name": "Torque", "nominal": 12.0, "lsl": 11.0, "usl": 13.0, "units": "Nm",
         "gauge_tag": GAUGE, "spc_rules": "N1,N2,N3,N5,N6", "spc_hold": True}])
    call("mes.quality.configure_station", "admin", "TorqueStation1")
    call("mes.quality.configure_gauge", "admin", GAUGE, "TorqueStation1", "Nm", 0.0, 50.0)
    call("mes.quality.set_context", "TorqueStation1", "BRACKET", "B", "WO-2001", 20, "LOT-77",
         None, "olga")


def run(gw):
    setup(gw)
    call = gw.call

    for value in BASELINE:
        _reading(gw, value)
    limits = call("mes.quality.establish_limits", "quinn", 1)

    _reading(gw, 12.0, "Bad_NotConnected")  # a lost gauge: refused, kept, not judged
    refused = gw.system.db.runScalarPrepQuery(
        "SELECT COUNT(*) FROM qc_refused_reading WHERE reason_code = ?", ["bad_quality_reading"], "")

    drift, fired_at = [], None
    for step in range(1, 16):
        value = 12.0 + 0.02 * step
        _reading(gw, value)
        drift.append([step, "%.2f" % value, _tag(gw, "LastVerdict"), _tag(gw, "SpcRule")])
        if _tag(gw, "SpcAlarm"):
            fired_at = step
            break

    gate = call("mes.quality.gate_status", "WO-2001", 20)
    start_next = call("mes.quality.start_status", "WO-2001", 30)
    refused_start = _error_code(call, "mes.quality.require_gate", "WO-2001", 30, True)
    ncr_id = gate["open_ncrs"][0]
    ncr = call("mes.nonconformance.get", ncr_id)
    by_operator = _error_code(call, "mes.quality.disposition", "olga", "op-pw", ncr_id, "use-as-is")
    bad_password = _error_code(call, "mes.quality.disposition", "quinn", "nope", ncr_id, "use-as-is")
    interlock_before = _tag(gw, "Interlock")
    released = call("mes.quality.disposition", "quinn", "qa-pw", ncr_id, "rework",
                    "gauge recalibrated; parts since the signal re-torqued")
    after = call("mes.quality.start_status", "WO-2001", 30)
    audit = gw.system.db.runPrepQuery(
        "SELECT action FROM audit_trail WHERE action LIKE ? ORDER BY seq", ["quality.%"], "")
    return {
        "limits": {"center": "%.4f" % limits["center"], "sigma": "%.4f" % limits["sigma"],
                   "points": limits["points"]},
        "refused_bad_quality_readings": refused,
        "drift": drift,
        "rule_fired_at_drift_step": fired_at,
        "ncr": {"subject": [ncr["subject_kind"], ncr["subject"]], "description": ncr["description"]},
        "gate_op20": {"passed": gate["passed"], "reasons": gate["reasons"]},
        "start_op30": {"passed": start_next["passed"], "reasons": start_next["reasons"]},
        "require_gate_to_start_op30": refused_start,
        "disposition_by_operator": by_operator,
        "disposition_with_wrong_password": bad_password,
        "interlock_before_release": interlock_before,
        "released_holds": released["released_holds"],
        "interlock_after_release": _tag(gw, "Interlock"),
        "spc_alarm_after_release": _tag(gw, "SpcAlarm"),
        "start_op30_after_release": after["passed"],
        "quality_audit": [row[0] for row in audit],
    }
