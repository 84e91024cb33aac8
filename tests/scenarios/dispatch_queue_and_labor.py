"""The press queue orders by priority then due date; the lead pulls an order forward; a crew works
an operation together, an operator books indirect time, and hours come out per work order,
operation and operator, ready for the ERP.
"""
from __future__ import absolute_import, division, print_function

import io
import os

PROJECT = "project"
START = "2026-01-05T06:00:00"

_HELPER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_dispatch_plant.py")
with io.open(_HELPER, encoding="utf-8") as _handle:
    exec(compile(_handle.read(), _HELPER, "exec"))


def _queue(m):
    return [[e["wo_id"], e["priority"], e["due_date"][:10], e["queue_position"]]
            for e in m.dispatch.queue("L2-PRESS")]


def run(gw):
    m = build(gw)  # noqa: F821 - from _dispatch_plant
    out = {}
    for wo_id, due, priority in [("WO-3001", "2026-01-09", 200), ("WO-3002", "2026-01-07", 200),
                                 ("WO-3003", "2026-01-05", 900), ("WO-3004", "2026-01-20", 10)]:
        m.workorder.release("erp", wo_id, "PUMP-100", "B", 4, due, priority)
    out["default_order"] = _queue(m)
    out["after_resequence"] = [[e["wo_id"], e["queue_position"]] for e in m.dispatch.resequence(
        "lee", "L2-PRESS", [["WO-3003", 10], ["WO-3001", 10]], "customer line down")]
    out["press_queue_depth_tag"] = gw.read("[default]Genba/Dispatch/L2-PRESS/QueueDepth").value
    out["press_next_tag"] = gw.read("[default]Genba/Dispatch/L2-PRESS/NextWO").value

    m.labor.define_indirect_code("lee", "5S", "Workplace organisation")
    m.labor.define_crew("lee", "TORQUE-CREW", ["ben", "cy"])
    m.security.sign_in("ana", "ana-pw", "PRESS-1")
    m.security.sign_in("ben", "ben-pw", "TORQUE-1")
    m.security.sign_in("cy", "cy-pw", "TORQUE-2")

    m.labor.clock_on_indirect("ben", "TORQUE-1", "5S")
    m.operation.start("ana", "PRESS-1", "WO-3003", 10)
    gw.clock.advance(20 * 60)
    press_steps(m, "WO-3003")  # noqa: F821
    m.operation.complete("ana", "PRESS-1", "WO-3003", 10, 4)
    out["queue_after_first"] = _queue(m)

    m.operation.start("ben", "TORQUE-1", "WO-3003", 20)   # ends ben's 5S time
    gw.clock.advance(5 * 60)
    m.labor.clock_on_crew("lee", "TORQUE-CREW", "WO-3003", 20)
    gw.clock.advance(40 * 60)
    m.operation.complete("ben", "TORQUE-1", "WO-3003", 20, 4)
    out["open_after_complete"] = [m.labor.open_entry(u) for u in ("ben", "cy")]
    m.labor.clock_on_indirect("ana", "PRESS-1", "5S")
    gw.clock.advance(10 * 60)
    m.security.sign_out("ana")
    out["hours"] = [[r["kind"], r["wo_id"], r["op_seq"], r["username"], r["indirect_code"],
                     r["hours"], r["entries"]] for r in m.labor.hours()]
    out["audit_broken"] = m.audit.verify()
    return out
