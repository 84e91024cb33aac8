"""Demo data for `genba serve --demo` and the browser tests: a shift's worth of plant history.

Line 2 assembly cell (press, torque, vision, mark, pack) with its people and routing; three released
work orders at the press; bearing lots at the press (one released, one on hold); a torque gauge that
drifted on WO-2001 (SPC rule, hold, open NCR); WO-0990 finished with its genealogy; and two hours of
OEE history on Line 1 (filler fault, palletizer rejects). Everything goes through the `mes` library,
exactly as the gateway would record it.
"""
from __future__ import annotations

__all__ = ["PASSWORDS", "seed"]

FAST = 1000  # PBKDF2 iterations: demo users sign in quickly
PASSWORDS = {"root": "root-pw", "ana": "ana-pw", "ben": "ben-pw", "lee": "lee-pw", "quinn": "quinn-pw",
             "eve": "eve-pw"}
LINE2 = "[default]Genba/Plant1/Assembly/Line2/"
FILLER = "[default]Genba/Plant1/Packaging/Line1/Filler/"
PALLETIZER = "[default]Genba/Plant1/Packaging/Line1/Palletizer/"
GAUGE = LINE2 + "TorqueStation1/Torque"

ROUTING = [
    {"op_seq": 10, "work_center_id": "L2-PRESS", "description": "Press bearing", "setup_minutes": 15,
     "run_minutes_per_unit": 0.5},
    {"op_seq": 20, "work_center_id": "L2-TORQUE", "description": "Torque housing bolts", "parallel_group": "A",
     "run_minutes_per_unit": 1.0},
    {"op_seq": 30, "work_center_id": "L2-VISION", "description": "Vision check", "parallel_group": "A",
     "run_minutes_per_unit": 0.2},
    {"op_seq": 40, "work_center_id": "L2-MARK", "description": "Laser mark (customer option)", "optional": True},
    {"op_seq": 50, "work_center_id": "L2-PACK", "description": "Pack"},
]
PRESS_STEPS = [
    {"kind": "scan", "prompt": "Scan the housing serial", "spec": {"pattern": "H-[0-9]{4}"}},
    {"kind": "measurement", "prompt": "Press force", "spec": {"low": 0, "high": 50, "unit": "kN"}},
    {"kind": "choice", "prompt": "Grease used", "spec": {"choices": ["G1", "G2"]}},
    {"kind": "check", "prompt": "Guard closed and light curtain tested"},
    {"kind": "text", "prompt": "Remarks", "required": False},
]
STATIONS = [("PRESS-1", "L2-PRESS", "Press"), ("TORQUE-1", "L2-TORQUE", "TorqueStation1"),
            ("TORQUE-2", "L2-TORQUE", "TorqueStation2"), ("VISION-1", "L2-VISION", "VisionInspection"),
            ("MARK-1", "L2-MARK", "LaserMarker"), ("PACK-1", "L2-PACK", "Pack")]
BASELINE = [12.02, 11.96, 12.05, 11.98, 12.01, 11.97, 12.04, 11.99, 12.03, 11.95,
            12.00, 12.06, 11.97, 12.02, 11.99, 12.03, 11.96, 12.01, 12.04, 11.98]
OEE_CONFIG = {
    "calendars": {"ThreeShift": {"utc_offset_minutes": 0, "shifts": [
        {"name": "Early", "start": "06:00", "end": "14:00", "breaks": [{"name": "Break", "start": "10:00", "end": "10:30"}]},
        {"name": "Late", "start": "14:00", "end": "22:00", "breaks": [{"name": "Break", "start": "18:00", "end": "18:30"}]},
        {"name": "Night", "start": "22:00", "end": "06:00", "breaks": [{"name": "Break", "start": "02:00", "end": "02:30"}]}]}},
    "state_tables": {"Default": {"1": "running", "2": "idle", "3": "starved", "4": "blocked", "5": "unplanned",
                                 "6": "planned", "7": "changeover"}},
    "reasons": [{"code": "mechanical", "name": "Mechanical"}, {"code": "jam", "parent": "mechanical", "name": "Jam"},
                {"code": "electrical", "name": "Electrical"}, {"code": "material", "name": "Material"},
                {"code": "changeover", "name": "Changeover"}],
    "faults": {"202": "electrical", "7": "jam", "9": "material"},
    "lines": [{"line_id": "Line1", "calendar": "ThreeShift", "oee_path": "[default]OEE/Line1/Line",
               "constraint": "Line1/Filler", "output": "Line1/Palletizer"}],
    "machines": [
        {"machine_id": "Line1/Filler", "line_id": "Line1", "source_path": "Genba/Plant1/Packaging/Line1/Filler",
         "oee_path": "[default]OEE/Line1/Filler", "state_table": "Default", "short_stop_s": 120, "sequence": 3,
         "rates": [{"product": "*", "operation": "*", "rate_per_min": 200.0}]},
        {"machine_id": "Line1/Palletizer", "line_id": "Line1", "source_path": "Genba/Plant1/Packaging/Line1/Palletizer",
         "oee_path": "[default]OEE/Line1/Palletizer", "state_table": "Default", "short_stop_s": 120, "sequence": 9,
         "rates": [{"product": "*", "operation": "*", "rate_per_min": 260.0}]}]}
# (minute, tag, value): the filler jams twice and runs short of material once in two hours.
OEE_TIMELINE = [
    (0, FILLER + "OutfeedCount", 0), (0, FILLER + "State", 1), (0, PALLETIZER + "OutfeedCount", 0),
    (0, PALLETIZER + "RejectCount", 0), (0, PALLETIZER + "State", 1),
    (31, FILLER + "FaultCode", 7), (31, FILLER + "State", 5), (43, FILLER + "State", 1),
    (60, FILLER + "OutfeedCount", 9400), (60, PALLETIZER + "OutfeedCount", 9150), (60, PALLETIZER + "RejectCount", 60),
    (74, FILLER + "FaultCode", 9), (74, FILLER + "State", 5), (80, FILLER + "State", 1),
    (95, FILLER + "FaultCode", 7), (95, FILLER + "State", 5), (99, FILLER + "State", 1),
    (119, FILLER + "OutfeedCount", 19100), (119, PALLETIZER + "OutfeedCount", 18650),
    (119, PALLETIZER + "RejectCount", 140),
]


class _Mes(object):
    def __init__(self, gw, prefix="mes"):
        self._gw, self._prefix = gw, prefix

    def __getattr__(self, name):
        return _Mes(self._gw, self._prefix + "." + name)

    def __call__(self, *args, **kwargs):
        return self._gw.call(self._prefix, *args, **kwargs)


def _oee(gw, m):
    m.oeeconfig.configure(OEE_CONFIG)
    elapsed = 0
    for minute, path, value in OEE_TIMELINE:
        gw.clock.advance((minute - elapsed) * 60)
        elapsed = minute
        gw.update(path, value)
    gw.clock.advance((120 - elapsed) * 60)


def _people_and_plant(m):
    m.security.bootstrap_admin("root", PASSWORDS["root"], FAST)
    for user, roles in [("ana", ["operator"]), ("ben", ["operator"]), ("lee", ["lead"]),
                        ("quinn", ["quality"]), ("eve", ["engineer"])]:
        m.security.create_user("root", user, PASSWORDS[user], roles, None, FAST)
    m.item.define("eve", "PUMP-100", "B", "Pump assembly", "ea", "serial")
    m.item.define("eve", "BRG-6202", "A", "Ball bearing 6202", "EA", "lot")
    m.item.define("eve", "RESIN-A", "A", "PP resin, natural", "KG", "lot")
    m.item.define("eve", "HOUSING", "A", "Moulded housing", "EA", "lot")
    for center in ("L2-PRESS", "L2-TORQUE", "L2-VISION", "L2-MARK", "L2-PACK"):
        m.workcenter.define("eve", center)
    for station, center, machine in STATIONS:
        m.workcenter.define_station("eve", station, center, None, LINE2 + machine)
    m.routing.define("eve", "PUMP-100", "B", ROUTING)
    instruction = m.guidance.define("eve", "PUMP-100", "B", 10, PRESS_STEPS, "Press v1")
    m.guidance.approve("eve", PASSWORDS["eve"], instruction)
    m.inspection.define_plan("eve", "PUMP-100", "B", 20, [
        {"name": "Torque", "nominal": 12.0, "lsl": 11.0, "usl": 13.0, "units": "Nm", "gauge_tag": GAUGE,
         "spc_rules": "N1,N2,N3,N5,N6", "spc_hold": True}])
    m.quality.configure_station("eve", "TORQUE-1", "[default]Genba/Quality/TorqueStation1")
    m.quality.configure_gauge("eve", GAUGE, "TORQUE-1", "Nm", 0.0, 50.0)


def _torque_drift(gw, m):
    """WO-2001: pressed, torque running at TORQUE-1; the gauge drifts until SPC holds the order."""
    m.workorder.release("lee", "WO-2001", "PUMP-100", "B", 10, "2026-01-06 14:00", 50)
    m.security.sign_in("ben", PASSWORDS["ben"], "PRESS-1")
    m.operation.start("ben", "PRESS-1", "WO-2001", 10)
    for number, value in [(1, "H-2001"), (2, 12.5), (3, "G2"), (4, True)]:
        m.guidance.record("ben", "PRESS-1", "WO-2001", 10, number, value)
    m.operation.complete("ben", "PRESS-1", "WO-2001", 10, 10, 0)
    m.security.sign_out("ben")
    m.security.sign_in("ben", PASSWORDS["ben"], "TORQUE-1")
    m.operation.start("ben", "TORQUE-1", "WO-2001", 20)
    for value in BASELINE:
        gw.clock.advance(20)
        gw.update(GAUGE, value)
    m.spcmonitor.establish_limits("quinn", 1)
    for step in range(1, 16):
        gw.clock.advance(20)
        gw.update(GAUGE, 12.0 + 0.02 * step)
        if gw.call("mes.workorder.get", "WO-2001")["status"] == "held":
            break


def _material(m):
    """Bearing lots at the press (one held by quality), and WO-0990's finished housing lot."""
    for lot_no, qty, status in (("BRG-L100", 200.0, "released"), ("BRG-L101", 150.0, "released"),
                                ("BRG-L200", 120.0, "hold")):
        m.lot.receive("BRG-6202", lot_no, qty, "EA", "ana", "2027-06-30", "quarantine", "PRESS-1 rack")
        if status == "released":
            m.lot.set_status(lot_no, "BRG-6202", status, "quinn", "incoming inspection")
        else:
            m.lot.set_status(lot_no, "BRG-6202", status, "lee", "supplier deviation SD-118")
    for wo_id, qty in (("WO-1001", 10.0), ("WO-1002", 25.0)):
        m.bom.set_lines(wo_id, [{"line_no": 10, "item_id": "BRG-6202", "qty_per": 1, "qty_required": qty,
                                 "uom": "EA", "op_seq": 10, "station": "PRESS-1"}], "eve")
        m.material.open_output(wo_id, "PUMP-100", "PMP-" + wo_id[3:], "lee", "lot", "ea")
    for lot_no, qty in (("R-5501", 100.0), ("R-5502", 40.0)):
        m.lot.receive("RESIN-A", lot_no, qty, "KG", "ana", "2026-12-31", "quarantine", "Silo 2")
        m.lot.set_status(lot_no, "RESIN-A", "released", "quinn", "certificate checked")
    m.bom.set_lines("WO-0990", [{"line_no": 10, "item_id": "RESIN-A", "qty_per": 0.25, "qty_required": 25.0,
                                 "uom": "KG", "op_seq": 10, "station": "PRESS-1"}], "eve")
    m.material.open_output("WO-0990", "HOUSING", "H-0990", "ana", "lot", "EA")
    m.material.consume("WO-0990", "R-5501", "PRESS-1", "ana", 20.0)
    m.material.consume("WO-0990", "R-5502", "PRESS-1", "ana", 5.0)
    m.material.report_production("WO-0990", 100.0, "ana")
    m.bom.set_lines("WO-0991", [
        {"line_no": 10, "item_id": "HOUSING", "qty_per": 1, "qty_required": 2.0, "uom": "EA", "op_seq": 10,
         "station": "PRESS-1"},
        {"line_no": 20, "item_id": "BRG-6202", "qty_per": 1, "qty_required": 2.0, "uom": "EA", "op_seq": 10,
         "station": "PRESS-1"}], "eve")
    m.material.open_output("WO-0991", "PUMP-100", "PMP-0991", "ana", "lot", "ea")
    m.lot.set_status("H-0990", "HOUSING", "released", "quinn", "first article approved")
    m.material.consume("WO-0991", "H-0990", "PRESS-1", "ana", 2.0)
    m.material.consume("WO-0991", "BRG-L101", "PRESS-1", "ana", 2.0)


def seed(gw):
    """Fill the gateway's database and tags with the demo history; returns the gateway."""
    m = _Mes(gw)
    _oee(gw, m)
    _people_and_plant(m)
    _torque_drift(gw, m)
    m.security.sign_out("ben")
    for wo_id, qty, due, priority in (("WO-1001", 10, "2026-01-05 16:00", 100),
                                      ("WO-1002", 25, "2026-01-06 10:00", 300),
                                      ("WO-1003", 40, "2026-01-07 10:00", 500)):
        m.workorder.release("lee", wo_id, "PUMP-100", "B", qty, due, priority)
    m.workorder.hold("lee", "WO-1003", "customer change request CR-77 pending")
    _material(m)
    gw.settle()
    return gw
