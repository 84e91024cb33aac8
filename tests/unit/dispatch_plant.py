"""The assembly line the dispatch unit tests run on (users, items, work centers, routing, steps)."""

FAST = 1000  # PBKDF2 iterations for test users

PRESS = "[default]Genba/Plant1/Assembly/Line2/Press"
TORQUE1 = "[default]Genba/Plant1/Assembly/Line2/TorqueStation1"
TORQUE2 = "[default]Genba/Plant1/Assembly/Line2/TorqueStation2"

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
    {"kind": "scan", "prompt": "Scan the housing serial", "spec": {"pattern": r"H-\d{4}"}},
    {"kind": "measurement", "prompt": "Press force", "spec": {"low": 0, "high": 50, "unit": "kN"}},
    {"kind": "choice", "prompt": "Grease used", "spec": {"choices": ["G1", "G2"]}},
    {"kind": "check", "prompt": "Guard closed and light curtain tested"},
    {"kind": "text", "prompt": "Remarks", "required": False},
]


def build(mes):
    sec = mes.security
    sec.bootstrap_admin("root", "root-pw", iterations=FAST)
    for user, roles in [("ana", ["operator"]), ("ben", ["operator"]), ("cy", ["operator"]),
                        ("lee", ["lead"]), ("quinn", ["quality"]), ("eve", ["engineer"])]:
        sec.create_user("root", user, user + "-pw", roles, iterations=FAST)
    mes.item.define("eve", "PUMP-100", "B", "Pump assembly", "ea", "serial")
    for center in ("L2-PRESS", "L2-TORQUE", "L2-VISION", "L2-MARK", "L2-PACK"):
        mes.workcenter.define("eve", center)
    mes.workcenter.define_station("eve", "PRESS-1", "L2-PRESS", machine_path=PRESS)
    mes.workcenter.define_station("eve", "TORQUE-1", "L2-TORQUE", machine_path=TORQUE1)
    mes.workcenter.define_station("eve", "TORQUE-2", "L2-TORQUE", machine_path=TORQUE2)
    mes.workcenter.define_station("eve", "VISION-1", "L2-VISION")
    mes.workcenter.define_station("eve", "MARK-1", "L2-MARK")
    mes.workcenter.define_station("eve", "PACK-1", "L2-PACK")
    mes.routing.define("eve", "PUMP-100", "B", ROUTING)
    instruction = mes.guidance.define("eve", "PUMP-100", "B", 10, PRESS_STEPS, "Press v1")
    mes.guidance.approve("eve", "eve-pw", instruction)
    return instruction


def do_press_steps(mes, user="ana", station="PRESS-1", wo="WO-1"):
    for number, value in [(1, "H-1234"), (2, 12.5), (3, "G2"), (4, True)]:
        mes.guidance.record(user, station, wo, 10, number, value)
