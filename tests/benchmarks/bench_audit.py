"""Benchmark: the cost of the hash-chained audit trail, and how fast a chain is verified.

Baseline, measured in the same run on the same SQLite database: one plain INSERT of the same row
per transaction (no chain head update, no hash). `mes.audit.record` adds the head row update,
the canonical JSON and SHA-256; the ratio is that overhead. `verify` walks the whole chain.
Target: ratio_vs_plain_insert <= 3.

    python tests/benchmarks/bench_audit.py [--quick]
"""
import argparse
import json
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))

from harness import Gateway  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def build_gateway():
    folder = tempfile.mkdtemp(prefix="genba-bench-audit-")
    return Gateway(project=os.path.join(ROOT, "project"), clock="virtual",
                   start="2026-01-05T06:00:00",
                   databases={"genba": "sqlite:///" + os.path.join(folder, "genba.db")},
                   default_database="genba")


def plain_inserts(gateway, count):
    db = gateway.system.db
    db.runUpdateQuery("CREATE TABLE bench_plain (seq BIGINT PRIMARY KEY, recorded_at TEXT, actor "
                      "TEXT, action TEXT, subject TEXT, details TEXT, reason TEXT)")
    start = time.perf_counter()
    for n in range(count):
        tx = db.beginTransaction()
        db.runPrepUpdate("INSERT INTO bench_plain (seq, recorded_at, actor, action, subject, "
                         "details, reason) VALUES (?, ?, ?, ?, ?, ?, ?)",
                         [n + 1, "2026-01-05T06:00:00.000Z", "ana", "operation.report",
                          "wo/WO-1/10", '{"good":1}', None], tx=tx)
        db.commitTransaction(tx)
        db.closeTransaction(tx)
    return time.perf_counter() - start


def audited(gateway, count):
    record = gateway.library.resolve("mes.audit.record")
    start = time.perf_counter()
    for _ in range(count):
        record("ana", "operation.report", "wo/WO-1/10", {"good": 1})
    return time.perf_counter() - start


def verify(gateway):
    start = time.perf_counter()
    broken = gateway.library.resolve("mes.audit.verify")()
    assert broken is None
    return time.perf_counter() - start


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smaller workload (< 1 minute)")
    args = parser.parse_args(argv)
    count = 300 if args.quick else 3000
    gateway = build_gateway()
    try:
        plain = plain_inserts(gateway, count)
        chained = audited(gateway, count)
        checked = verify(gateway)
    finally:
        gateway.shutdown()
    ratio = chained / plain
    print("%-34s %10s %12s" % ("", "seconds", "rows/s"))
    print("%-34s %10.3f %12.0f" % ("plain INSERT per transaction", plain, count / plain))
    print("%-34s %10.3f %12.0f" % ("mes.audit.record", chained, count / chained))
    print("%-34s %10.3f %12.0f" % ("mes.audit.verify (whole chain)", checked, count / checked))
    print(json.dumps({"bench": "audit", "rows": count, "ratio_vs_plain_insert": round(ratio, 2),
                      "records_per_s": round(count / chained), "verify_rows_per_s":
                      round(count / checked), "target": "ratio_vs_plain_insert <= 3"}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
