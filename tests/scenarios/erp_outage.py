"""The ERP is unreachable, then flaky, while completions happen: every message arrives once, in order.

Needs the ERP stand-in (harness/erp_standin.py) running in the calling process, named by the
environment variable GENBA_ERP_STANDIN (its URL); the scenario orders its misbehaviour over HTTP
(/_standin/control), so the same file drives the outbox from CPython or Jython through the
gateway's system.net.httpClient. Without the variable it reports that it was skipped.
"""
from __future__ import absolute_import, division, print_function

import io
import json
import os

PROJECT = "project"
START = "2026-01-05T06:00:00"
CASES = os.path.join("tests", "cases", "erp")


def _read(name):
    with io.open(os.path.join(CASES, name), encoding="utf-8") as handle:
        return handle.read()


def _control(gw, url, mode, count=1, status=500, delay=0):
    gw.system.net.httpClient().post(url + "/_standin/control",
                                    data={"mode": mode, "count": count, "status": status, "delay": delay})


def run(gw):
    url = os.environ.get("GENBA_ERP_STANDIN")
    if not url:
        return {"skipped": "no ERP stand-in (GENBA_ERP_STANDIN)"}
    db = gw.system.db
    for name, value in (("outbox.url.b2mml", url + "/b2mml"), ("outbox.timeout_ms", "2000"),
                        ("outbox.backoff_ms", "5000"), ("outbox.max_backoff_ms", "40000"),
                        ("inbound.release", "record")):  # orders stay in the ERP tables: no floor here
        db.runPrepUpdate("INSERT INTO erp_settings (name, value) VALUES (?, ?)", [name, value])
    gw.call("mes.erpinbound.receive", _read("material_v0600.xml"), "scenario")
    gw.call("mes.erpinbound.receive", _read("schedule_v0600.xml"), "scenario")
    second = _read("schedule_v0600.xml").replace("WO-1001", "WO-1002").replace("SCHED-0001", "SCHED-0002")
    gw.call("mes.erpinbound.receive", second, "scenario")
    script = [("WO-1001", "10", 20), ("WO-1002", "10", 15), ("WO-1001", "10", 30), ("WO-1001", "20", 8),
              ("WO-1002", "10", 25), ("WO-1002", "20", 6)]
    _control(gw, url, "refuse", 12)  # down: every attempt in the first minutes finds no ERP
    for wo, op, good in script[:4]:
        gw.call("mes.erpperformance.record_completion", wo, op, good)
        gw.clock.advance(30)
    _control(gw, url, "error", 2, 503)
    _control(gw, url, "lost_ack", 2)
    _control(gw, url, "duplicate_ack", 1)
    for wo, op, good in script[4:]:
        gw.call("mes.erpperformance.record_completion", wo, op, good)
        gw.clock.advance(30)
    gw.clock.advance(900)
    outbox = []
    for row in db.runPrepQuery("SELECT message_id, msg_key, status FROM erp_outbox_messages ORDER BY id", []):
        outbox.append([row[0], row[1], row[2]])
    received = json.loads(gw.system.net.httpClient().get(url + "/_standin/received").text)
    return {"outbox": outbox, "received": [[m["key"], m["work_order"]] for m in received],
            "counts": gw.call("mes.outbox.status_counts")}
