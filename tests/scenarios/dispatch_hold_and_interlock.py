"""Quality holds a running work order: the press permissive drops, labor stops, nothing can start;
releasing the hold leaves the operation paused until the operator resumes it deliberately. The
live work-center tags show each state.
"""
from __future__ import absolute_import, division, print_function

import io
import os

PROJECT = "project"
START = "2026-01-05T06:00:00"

_HELPER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_dispatch_plant.py")
with io.open(_HELPER, encoding="utf-8") as _handle:
    exec(compile(_handle.read(), _HELPER, "exec"))


def _press(gw, m):
    tags = [gw.read("[default]Genba/Dispatch/L2-PRESS/" + name).value
            for name in ("State", "CurrentWO", "Held")]
    op = m.operation.get("WO-4001", 10)
    return {"permissive": permissive(gw, "Press"), "tags": tags,  # noqa: F821
            "op": op["status"], "open_labor": m.labor.open_entry("ana") is not None}


def run(gw):
    m = build(gw)  # noqa: F821 - from _dispatch_plant
    timeline = []
    m.workorder.release("erp", "WO-4001", "PUMP-100", "B", 6, "2026-01-06", 50)
    m.security.sign_in("ana", "ana-pw", "PRESS-1")
    timeline.append(["released", _press(gw, m)])
    m.operation.start("ana", "PRESS-1", "WO-4001", 10)
    timeline.append(["started", _press(gw, m)])
    gw.clock.advance(600)
    m.operation.pause("ana", "PRESS-1", "WO-4001", 10, "waiting for bearings")
    timeline.append(["paused", _press(gw, m)])
    gw.clock.advance(300)
    m.operation.resume("ana", "PRESS-1", "WO-4001", 10)
    timeline.append(["resumed", _press(gw, m)])
    gw.clock.advance(300)
    m.workorder.hold("quinn", "WO-4001", "bearing lot B-77 suspect")
    timeline.append(["held", _press(gw, m)])
    refused = attempt(gw, m.operation.resume, "ana", "PRESS-1", "WO-4001", 10)  # noqa: F821
    m.workorder.release_hold("quinn", "WO-4001", "lot B-77 released by lab")
    timeline.append(["hold released", _press(gw, m)])
    m.operation.resume("ana", "PRESS-1", "WO-4001", 10)
    timeline.append(["resumed again", _press(gw, m)])
    return {"timeline": timeline, "resume_while_held": refused,
            "wo_status": m.workorder.get("WO-4001")["status"],
            "labor_hours": [[r["username"], r["hours"], r["entries"]]
                            for r in m.labor.hours("WO-4001")],
            "audit_broken": m.audit.verify()}
