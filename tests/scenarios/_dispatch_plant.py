"""Shared set-up of the dispatch scenarios: the Line 2 assembly cell, its people and its routing.

Scenario files load this file into their own namespace (`exec`), because the scenario runner
executes scenario files directly on CPython and Jython. The leading underscore keeps the runner
from treating it as a scenario.
"""
from __future__ import absolute_import, division, print_function

FAST = 1000  # PBKDF2 iterations for scenario users (the default is for production)
LINE2 = "[default]Genba/Plant1/Assembly/Line2/"

ROUTING = [
    {"op_seq": 10, "work_center_id": "L2-PRESS", "description": "Press bearing",
     "setup_minutes": 15, "run_minutes_per_unit": 0.5},
    {"op_seq": 20, "work_center_id": "L2-TORQUE", "description": "Torque housing bolts",
     "parallel_group": "A", "run_minutes_per_unit": 1.0},
    {"op_seq": 30, "work_center_id": "L2-VISION", "description": "Vision check",
     "parallel_group": "A", "run_minutes_per_unit": 0.2},
    {"op_seq": 40, "work_center_id": "L2-MARK", "description": "Laser mark (customer option)",
     "optional": True},
    {"op_seq": 50, "work_center_id": "L2-PACK", "description": "Pack"},
]

PRESS_STEPS = [
    {"kind": "scan", "prompt": "Scan the housing serial", "spec": {"pattern": "H-[0-9]{4}"}},
    {"kind": "measurement", "prompt": "Press force", "spec": {"low": 0, "high": 50, "unit": "kN"}},
    {"kind": "choice", "prompt": "Grease used", "spec": {"choices": ["G1", "G2"]}},
    {"kind": "check", "prompt": "Guard closed and light curtain tested"},
    {"kind": "text", "prompt": "Remarks", "required": False},
]

STATIONS = [
    ("PRESS-1", "L2-PRESS", LINE2 + "Press"),
    ("TORQUE-1", "L2-TORQUE", LINE2 + "TorqueStation1"),
    ("TORQUE-2", "L2-TORQUE", LINE2 + "TorqueStation2"),
    ("VISION-1", "L2-VISION", LINE2 + "VisionInspection"),
    ("MARK-1", "L2-MARK", LINE2 + "LaserMarker"),
    ("PACK-1", "L2-PACK", LINE2 + "Pack"),
]

# Row counts that prove an action wrote nothing (every table the dispatch area owns).
FINGERPRINT_SQL = [
    "SELECT COUNT(*) FROM audit_trail",
    "SELECT COUNT(*) FROM work_orders",
    "SELECT COUNT(*) FROM esignatures",
    "SELECT COUNT(*) FROM station_sessions",
    "SELECT COUNT(*) FROM step_records",
    "SELECT COUNT(*) FROM labor_entries",
    "SELECT COUNT(*) FROM labor_entries WHERE clock_off IS NULL",
    "SELECT last_seq FROM audit_chains",
]


class Mes(object):
    """`m.security.sign_in(...)` calls `gw.call("mes.security.sign_in", ...)`."""

    def __init__(self, gw, prefix="mes"):
        self._gw, self._prefix = gw, prefix

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return Mes(self._gw, self._prefix + "." + name)

    def __call__(self, *args, **kwargs):
        return self._gw.call(self._prefix, *args, **kwargs)


def build(gw):
    """Users, the item, work centers and stations, the routing and the approved instruction."""
    m = Mes(gw)
    m.security.bootstrap_admin("root", "root-pw", FAST)
    for user, roles in [("ana", ["operator"]), ("ben", ["operator"]), ("cy", ["operator"]),
                        ("lee", ["lead"]), ("quinn", ["quality"]), ("eve", ["engineer"]),
                        ("erp", ["lead"])]:
        m.security.create_user("root", user, user + "-pw", roles, None, FAST)
    m.item.define("eve", "PUMP-100", "B", "Pump assembly", "ea", "serial")
    for center in ("L2-PRESS", "L2-TORQUE", "L2-VISION", "L2-MARK", "L2-PACK"):
        m.workcenter.define("eve", center)
    for station, center, machine in STATIONS:
        m.workcenter.define_station("eve", station, center, None, machine)
    m.routing.define("eve", "PUMP-100", "B", ROUTING)
    instruction = m.guidance.define("eve", "PUMP-100", "B", 10, PRESS_STEPS, "Press v1")
    m.guidance.approve("eve", "eve-pw", instruction)
    return m


def press_steps(m, wo_id, user="ana", station="PRESS-1", serial="H-1234"):
    for number, value in [(1, serial), (2, 12.5), (3, "G2"), (4, True)]:
        m.guidance.record(user, station, wo_id, 10, number, value)


def fingerprint(gw):
    return [gw.system.db.runPrepQuery(sql, [], "")[0][0] for sql in FINGERPRINT_SQL]


def attempt(gw, call, *args, **kwargs):
    """Run `call` expecting a refusal: the error class, its message, and whether nothing changed."""
    before = fingerprint(gw)
    try:
        call(*args, **kwargs)
    except Exception as error:  # noqa: BLE001 - the refusal is the result
        return {"error": type(error).__name__, "code": getattr(error, "code", None),
                "message": str(error), "unchanged": fingerprint(gw) == before}
    return {"error": None, "unchanged": fingerprint(gw) == before}


def permissive(gw, machine):
    return gw.read(LINE2 + machine + "/Permissive").value


def statuses(m, wo_id):
    return [[op["op_seq"], op["status"]] for op in m.workorder.operations(wo_id)]
