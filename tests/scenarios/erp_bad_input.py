"""Bad ERP input is refused with the same stored reason on every host, and nothing is imported.

Entity-expansion attacks (billion laughs, external entities), malformed XML, a wrong namespace,
a missing element, a quantity of 0, dates out of order, an unknown item and unit, a duplicate work
order with different content, an oversized document, an unknown work centre, an older revision
after a newer one, a new revision of an order already started on the floor. Each rejection leaves
one row in erp_inbound_errors and no work order, item, lot or BOM line behind, in the ERP tables
and on the floor (orders are released to the floor: the default `inbound.release`).
"""
from __future__ import absolute_import, division, print_function

import io
import os

PROJECT = "project"
START = "2026-01-05T06:00:00"

_HELPER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_erp_floor.py")
with io.open(_HELPER, encoding="utf-8") as _handle:
    exec(compile(_handle.read(), _HELPER, "exec"))


def _count(gw, table):
    return gw.system.db.runScalarPrepQuery("SELECT COUNT(*) FROM " + table, [])


def run(gw):
    build_floor(gw)  # noqa: F821 - from _erp_floor
    schedule = read_case("schedule_v0600.xml")  # noqa: F821 - from _erp_floor
    material = read_case("material_v0600.xml")  # noqa: F821 - from _erp_floor
    cases = [
        ("billion laughs", '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                           '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><lolz>&lol2;</lolz>'),
        ("external entity", '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY s SYSTEM "file:///etc/passwd">]><x>&s;</x>'),
        ("malformed", schedule[:400]),
        ("wrong namespace", schedule.replace("B2MML-V0600", "B2MML-V0400")),
        ("missing id", schedule.replace("<ID>WO-1001</ID>", "")),
        ("zero quantity", schedule.replace("<QuantityString>200<", "<QuantityString>0<")),
        ("dates out of order", schedule.replace("<EndTime>2026-01-05T14:00:00Z", "<EndTime>2026-01-04T14:00:00Z")),
        ("unknown item", schedule),
        ("unknown unit", material.replace("<ValueString>KG<", "<ValueString>LBS<")),
        ("oversized", schedule.replace("<Priority>2</Priority>", "<Priority>2</Priority>" + " " * 5000000)),
    ]
    results = []
    for name, text in cases:
        result = gw.call("mes.erpinbound.receive", text, "scenario")
        reason = result.get("reason", "")
        if name == "malformed":  # the parser's own words differ between hosts
            reason = reason.split(":")[0]
        results.append([name, result["status"], result.get("code"), reason])
    gw.call("mes.erpinbound.receive", material, "scenario")
    first = gw.call("mes.erpinbound.receive", schedule, "scenario")
    changed = schedule.replace("SCHED-0001", "SCHED-0009").replace("<Priority>2<", "<Priority>7<")
    duplicate = gw.call("mes.erpinbound.receive", changed, "scenario")
    results.append(["duplicate work order", duplicate["status"], duplicate.get("code"), duplicate.get("reason")])
    revision_c = schedule.replace("SCHED-0001", "ECN-0003").replace("<Version>A<", "<Version>C<")
    revised = gw.call("mes.erpinbound.receive", revision_c, "scenario")
    later = [
        ("unknown work centre", schedule.replace("SCHED-0001", "SCHED-0010").replace("WO-1001", "WO-1002")
         .replace("Line1/Packer", "Line9/Packer")),
        ("older revision", schedule.replace("SCHED-0001", "ECN-0002").replace("<Version>A<", "<Version>B<")),
    ]
    for name, text in later:
        result = gw.call("mes.erpinbound.receive", text, "scenario")
        results.append([name, result["status"], result.get("code"), result.get("reason")])
    gw.call("mes.security.sign_in", "ana", "ana-pw", "FILL-1")
    gw.call("mes.operation.start", "ana", "FILL-1", "WO-1001", 10)
    started = gw.call("mes.erpinbound.receive", revision_c.replace("ECN-0003", "ECN-0004").replace("<Version>C<", "<Version>D<")
                      .replace("<Priority>2<", "<Priority>1<"), "scenario")
    results.append(["revision of a started order", started["status"], started.get("code"), started.get("reason")])
    return {
        "revised": [revised["status"], revised.get("revised")],
        "floor": {"work_orders": _count(gw, "work_orders"), "operations": _count(gw, "wo_operations"),
                  "bom_lines": _count(gw, "wo_bom_lines"), "lots": _count(gw, "lots"), "items": _count(gw, "items"),
                  "priority": gw.call("mes.workorder.get", "WO-1001")["priority"]},
        "results": results, "accepted": first["status"],
        "errors_stored": _count(gw, "erp_inbound_errors"),
        "work_orders": _count(gw, "erp_work_orders"), "operations": _count(gw, "erp_wo_operations"),
        "bom_lines": _count(gw, "erp_wo_materials"), "items": _count(gw, "erp_items"), "lots": _count(gw, "erp_lots"),
    }
