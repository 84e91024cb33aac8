"""Benchmark: the ERP paths — schedule import and outbox delivery — against their bare parts.

    python tests/benchmarks/bench_erp.py [--quick]

1. Import: `mes.erpinbound.receive` of V0600 schedules (one work order, 2 operations, 3 BOM lines
   each; safety scan, parse, checks, one transaction) vs `mes.erpschedule.read` alone (the pure
   parse and mapping). `import_ratio` = receive docs/s / read docs/s with the default
   `inbound.release` = dispatch (routing, floor release, BOM lines in the same transaction);
   `import_ratio_record` with `record` (ERP tables only).
2. Delivery: completions enqueued and sent by `mes.outbox.dispatch` to the local ERP stand-in
   (SQLite, one HTTP POST per message, status update) vs bare HTTP POSTs of the same documents
   with the same client. `delivery_ratio` = outbox messages/s / bare POSTs/s.
Ends with one JSON line (targets: import_ratio_record >= 0.1, delivery_ratio >= 0.3; import_ratio
(dispatch) is reported against the same 0.1).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, ROOT)

from harness import Gateway  # noqa: E402
from harness.core import net  # noqa: E402
from harness.core.system.namespace import Namespace  # noqa: E402
from harness.erp_standin import ErpStandin  # noqa: E402


def _case(name):
    with open(os.path.join(ROOT, "tests", "cases", "erp", name)) as fh:
        return fh.read()


def _gateway(folder):
    gw = Gateway(project=os.path.join(ROOT, "project"), clock="virtual",
                 databases={"genba": "sqlite:///" + os.path.join(folder, "bench.db")}, default_database="genba")
    if "net" not in dir(gw.system):
        gw.system.net = Namespace("system.net", {"httpClient": net.httpClient})
    return gw


def _floor(gw):
    gw.call("mes.security.bootstrap_admin", "root", "root-pw", 1000)
    gw.call("mes.security.create_user", "root", "erp", "erp-pw", ["lead", "engineer", "quality"], None, 1000)
    for centre in ("Line1/Filler", "Line1/Packer"):
        gw.call("mes.workcenter.define", "erp", centre)


def _release(gw, mode):
    gw.system.db.runPrepUpdate("DELETE FROM erp_settings WHERE name = ?", ["inbound.release"])
    gw.system.db.runPrepUpdate("INSERT INTO erp_settings (name, value) VALUES (?, ?)", ["inbound.release", mode])


def bench_import(gw, n, prefix="B"):
    template = _case("schedule_v0600.xml")
    docs = [template.replace("WO-1001", "WO-%s%05d" % (prefix, i)).replace("SCHED-0001", "S-%s%05d" % (prefix, i))
            for i in range(n)]
    start = time.perf_counter()
    for doc in docs:
        gw.call("mes.erpschedule.read", doc)
    read_rate = n / (time.perf_counter() - start)
    start = time.perf_counter()
    for doc in docs:
        assert gw.call("mes.erpinbound.receive", doc, "bench")["status"] == "accepted"
    receive_rate = n / (time.perf_counter() - start)
    return read_rate, receive_rate


def bench_delivery(gw, n):
    with ErpStandin() as standin:
        for name, value in (("outbox.url.b2mml", standin.url + "/b2mml"), ("outbox.batch", str(n + 1))):
            gw.system.db.runPrepUpdate("INSERT INTO erp_settings (name, value) VALUES (?, ?)", [name, value])
        for i in range(n):
            gw.call("mes.erpperformance.record_completion", "WO-B%05d" % (i % 50), "10", 1 + i % 7)
        payloads = [r[0] for r in gw.system.db.runPrepQuery("SELECT payload FROM erp_outbox_messages ORDER BY id", [])]
        client = net.httpClient(timeout=10000)
        start = time.perf_counter()
        for i, payload in enumerate(payloads):
            client.post(standin.url + "/b2mml", data=payload, headers={"Idempotency-Key": "bare-%d" % i,
                                                                       "Content-Type": "application/xml"})
        bare_rate = n / (time.perf_counter() - start)
        start = time.perf_counter()
        counts = gw.call("mes.outbox.dispatch")
        outbox_rate = n / (time.perf_counter() - start)
        assert counts["sent"] == n, counts
    return bare_rate, outbox_rate


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small workload (under a minute)")
    args = parser.parse_args(argv)
    n_import, n_send = (60, 100) if args.quick else (400, 1000)
    with tempfile.TemporaryDirectory() as folder:
        gw = _gateway(folder)
        _floor(gw)
        gw.call("mes.erpinbound.receive", _case("material_v0600.xml"), "bench")
        read_rate, receive_rate = bench_import(gw, n_import)
        _release(gw, "record")
        read_rate_r, receive_rate_r = bench_import(gw, n_import, "R")
        bare_rate, outbox_rate = bench_delivery(gw, n_send)
        gw.shutdown()
    rows = [("schedule parse + map (mes.erpschedule.read)", read_rate, "docs/s"),
            ("schedule receive, dispatch (one transaction)", receive_rate, "docs/s"),
            ("schedule receive, record (one transaction)", receive_rate_r, "docs/s"),
            ("bare HTTP POST to the stand-in", bare_rate, "msgs/s"),
            ("outbox dispatch (POST + status update)", outbox_rate, "msgs/s")]
    for label, rate, unit in rows:
        print("%-48s %10.1f %s" % (label, rate, unit))
    print(json.dumps({"bench": "erp", "import_ratio": round(receive_rate / read_rate, 3),
                      "import_ratio_record": round(receive_rate_r / read_rate_r, 3),
                      "delivery_ratio": round(outbox_rate / bare_rate, 3),
                      "receive_docs_per_s": round(receive_rate, 1), "outbox_msgs_per_s": round(outbox_rate, 1),
                      "target": "import_ratio_record >= 0.1 (import_ratio reported), delivery_ratio >= 0.3"}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
