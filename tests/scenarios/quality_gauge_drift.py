"""A torque gauge drifts: an SPC rule fires, the work order is held, completing the operation
and starting the next one are refused by dispatch's quality gate, the NCR is dispositioned with
a quality signature and the hold is released.

The Line 2 cell of the dispatch scenarios (PUMP-100 rev B: 10 press, 20 torque and 30 vision in
parallel, 40 optional mark, 50 pack). Quality plan for operation 20: "Torque" 12.0 Nm
(11.0..13.0) read by TorqueStation1's Torque tag at station TORQUE-1, rules N1,N2,N3,N5,N6, hold
on a hit. Twenty in-control readings establish the individuals chart; then the gauge drifts
upward by 0.02 Nm per part, still inside the specification, until a rule fires.
"""
from __future__ import absolute_import, division, print_function

import io
import os

PROJECT = "project"
START = "2026-01-05T06:00:00"

_HELPER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_dispatch_plant.py")
with io.open(_HELPER, encoding="utf-8") as _handle:
    exec(compile(_handle.read(), _HELPER, "exec"))

GAUGE = "[default]Genba/Plant1/Assembly/Line2/TorqueStation1/Torque"
TAGS = "[default]Genba/Quality/TorqueStation1/"
STATION = "TORQUE-1"
WO = "WO-2001"
BASELINE = [12.02, 11.96, 12.05, 11.98, 12.01, 11.97, 12.04, 11.99, 12.03, 11.95,
            12.00, 12.06, 11.97, 12.02, 11.99, 12.03, 11.96, 12.01, 12.04, 11.98]


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


def plant(gw):
    """The cell and its people, the torque plan, the quality station and its gauge, WO-2001
    released."""
    m = build(gw)  # noqa: F821 - from _dispatch_plant
    m.inspection.define_plan("eve", "PUMP-100", "B", 20, [
        {"name": "Torque", "nominal": 12.0, "lsl": 11.0, "usl": 13.0, "units": "Nm",
         "gauge_tag": GAUGE, "spc_rules": "N1,N2,N3,N5,N6", "spc_hold": True}])
    m.quality.configure_station("eve", STATION, TAGS[:-1])
    m.quality.configure_gauge("eve", GAUGE, STATION, "Nm", 0.0, 50.0)
    m.workorder.release("erp", WO, "PUMP-100", "B", 10, "2026-01-06 14:00", 100)
    return m


def setup(gw):
    """`plant`, then operation 10 pressed and operation 20 started at TORQUE-1 by Ana: the
    torque readings are booked to that running operation."""
    m = plant(gw)
    m.security.sign_in("ana", "ana-pw", "PRESS-1")
    m.operation.start("ana", "PRESS-1", WO, 10)
    press_steps(m, WO)  # noqa: F821
    m.operation.complete("ana", "PRESS-1", WO, 10, 10, 0)
    m.security.sign_out("ana")
    m.security.sign_in("ana", "ana-pw", STATION)
    m.operation.start("ana", STATION, WO, 20)
    return m


def run(gw):
    m = setup(gw)
    for value in BASELINE:
        _reading(gw, value)
    limits = m.spcmonitor.establish_limits("quinn", 1)

    _reading(gw, 12.0, "Bad_NotConnected")  # a lost gauge: refused, kept, not judged
    refused = gw.system.db.runScalarPrepQuery(
        "SELECT COUNT(*) FROM qc_refused_readings WHERE reason_code = ?", ["bad_quality_reading"], "")

    drift, fired_at = [], None
    for step in range(1, 16):
        value = 12.0 + 0.02 * step
        _reading(gw, value)
        drift.append([step, "%.2f" % value, _tag(gw, "LastVerdict"), _tag(gw, "SpcRule")])
        if _tag(gw, "SpcAlarm"):
            fired_at = step
            break

    gate = m.quality.gate_status(WO, 20)
    ncr_id = gate["open_ncrs"][0]
    ncr = m.nonconformance.get(ncr_id)
    complete_op20 = _error_code(m.operation.complete, "ana", STATION, WO, 20, 10, 0)
    m.security.sign_in("ben", "ben-pw", "VISION-1")
    start_op30 = _error_code(m.operation.start, "ben", "VISION-1", WO, 30)
    by_operator = _error_code(m.quality.disposition, "ana", "ana-pw", ncr_id, "use-as-is")
    bad_password = _error_code(m.quality.disposition, "quinn", "nope", ncr_id, "use-as-is")
    interlock_before = _tag(gw, "Interlock")
    released = m.quality.disposition("quinn", "quinn-pw", ncr_id, "use-as-is",
                                     "gauge recalibrated; the parts since the signal re-checked")
    op30 = m.operation.start("ben", "VISION-1", WO, 30)
    op20 = m.operation.complete("ana", STATION, WO, 20, 10, 0)
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
        "complete_op20_while_held": complete_op20,
        "start_op30_while_held": start_op30,
        "disposition_by_operator": by_operator,
        "disposition_with_wrong_password": bad_password,
        "interlock_before_release": interlock_before,
        "released_holds": released["released_holds"],
        "interlock_after_release": _tag(gw, "Interlock"),
        "spc_alarm_after_release": _tag(gw, "SpcAlarm"),
        "after_release": {"op30": op30["status"], "op20": op20["status"]},
        "quality_audit": [row[0] for row in audit],
    }
