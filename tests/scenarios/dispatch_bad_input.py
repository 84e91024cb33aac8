"""Every refusal on the floor names what was wrong and writes nothing: a held work order, an
operation out of routing order, more than released, an operator not signed in or without the
role, the wrong station, a second station starting a started operation, unknown ids, a failed
electronic signature. Free text that looks like SQL is stored verbatim.
"""
from __future__ import absolute_import, division, print_function

import io
import os

PROJECT = "project"
START = "2026-01-05T06:00:00"

_HELPER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_dispatch_plant.py")
with io.open(_HELPER, encoding="utf-8") as _handle:
    exec(compile(_handle.read(), _HELPER, "exec"))


def run(gw):
    m = build(gw)  # noqa: F821 - from _dispatch_plant
    check = lambda call, *args: attempt(gw, call, *args)  # noqa: E731,F821
    out = {}
    m.workorder.release("erp", "WO-2001", "PUMP-100", "B", 10, "2026-01-06", 100)
    m.workorder.release("erp", "WO-2002", "PUMP-100", "B", 5, "2026-01-07", 100)
    m.security.sign_in("ben", "ben-pw", "TORQUE-1")
    m.security.sign_in("cy", "cy-pw", "TORQUE-2")

    out["not_signed_in"] = check(m.operation.start, "ana", "PRESS-1", "WO-2001", 10)
    m.security.sign_in("ana", "ana-pw", "PRESS-1")
    m.security.sign_in("quinn", "quinn-pw", "PACK-1")
    out["without_role"] = check(m.operation.start, "quinn", "PACK-1", "WO-2001", 50)
    out["wrong_station"] = check(m.operation.start, "ben", "TORQUE-1", "WO-2001", 10)
    out["out_of_routing_order"] = check(m.operation.start, "ben", "TORQUE-1", "WO-2001", 20)
    out["unknown_work_order"] = check(m.operation.start, "ana", "PRESS-1", "WO-9999", 10)
    out["unknown_operation"] = check(m.operation.start, "ana", "PRESS-1", "WO-2001", 15)
    out["wrong_password"] = check(m.security.sign_in, "lee", "guess", "PACK-1")
    out["signature_by_wrong_role"] = check(m.security.sign, "ana", "ana-pw", "approved",
                                           None, "ncr/1", "quality")

    m.workorder.hold("quinn", "WO-2002", "'; UPDATE work_orders SET status = 'released'; --")
    out["held_work_order"] = check(m.operation.start, "ana", "PRESS-1", "WO-2002", 10)
    out["hold_reason_verbatim"] = m.audit.history("wo/WO-2002")[-1]["reason"]

    m.operation.start("ana", "PRESS-1", "WO-2001", 10)
    out["complete_before_steps"] = check(m.operation.complete, "ana", "PRESS-1", "WO-2001", 10, 10)
    press_steps(m, "WO-2001")  # noqa: F821
    out["more_than_released"] = check(m.operation.complete, "ana", "PRESS-1", "WO-2001", 10, 8,
                                      2, 1)
    m.operation.complete("ana", "PRESS-1", "WO-2001", 10, 8, 2)
    m.operation.start("ben", "TORQUE-1", "WO-2001", 20)
    out["second_station_same_op"] = check(m.operation.start, "cy", "TORQUE-2", "WO-2001", 20)
    out["statuses"] = statuses(m, "WO-2001")  # noqa: F821
    out["audit_broken"] = m.audit.verify()
    return out
