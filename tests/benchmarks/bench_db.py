"""Benchmark: inserting production records through system.db vs raw sqlite3, single-row transactions.

    python tests/benchmarks/bench_db.py [--quick]

Both sides write the same row into the same schema (project migrations) in a fresh SQLite file with
the same pragmas (WAL, synchronous=FULL, foreign keys, busy timeout), one transaction per row.
The system.db side goes through the whole path a script uses: argument check, placeholder scan,
value adaptation, a pooled SQLAlchemy connection, commit, release. Also shown (not in the ratio):
the same insert in an explicit system.db transaction and through store-and-forward, and both sides
again with synchronous=OFF (no fsync: what remains is the cost of the layers; `ratio_vs_raw_no_fsync`).
Ends with one JSON line; `ratio_vs_raw` = system.db rows/s / raw rows/s (target >= 0.5).
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import sqlite3
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, ROOT)

from harness.core import migrations  # noqa: E402
from harness.core.db import DbService, format_timestamp  # noqa: E402
from harness.db_sqlalchemy import SQLAlchemyConnector, sqlite_pragmas  # noqa: E402

INSERT = ("INSERT INTO production_records (record_key, machine, good_count, reject_count, recorded_at) "
          "VALUES (?, ?, ?, ?, ?)")
T0 = datetime.datetime(2026, 1, 5, 6, 0)


def fresh_service(folder, name):
    service = DbService({"genba": "sqlite:///" + os.path.join(folder, name)}, "genba")
    migrations.upgrade(service, os.path.join(ROOT, "project", "db", "migrations"))
    return service


NO_FSYNC = tuple(p for p in sqlite_pragmas() if not p.startswith("PRAGMA synchronous")) + ("PRAGMA synchronous=OFF",)


def bench_raw(folder, n, pragmas=None, name="raw.db"):
    service = fresh_service(folder, name)
    service.close()
    conn = sqlite3.connect(os.path.join(folder, name))
    for pragma in pragmas or sqlite_pragmas():
        conn.execute(pragma)
    start = time.perf_counter()
    for i in range(n):
        conn.execute(INSERT, ("k%d" % i, "M1", i, 0, format_timestamp(T0 + datetime.timedelta(seconds=i))))
        conn.commit()
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


def bench_system_db(folder, n, pragmas=None, name="sysdb.db"):
    db = fresh_service(folder, name)
    if pragmas is not None:
        db.close()
        db.set_connector("genba", SQLAlchemyConnector(db.url(), pragmas=pragmas))
    db.runPrepUpdate(INSERT, ["warm", "M0", 0, 0, T0])
    start = time.perf_counter()
    for i in range(n):
        db.runPrepUpdate(INSERT, ["k%d" % i, "M1", i, 0, T0 + datetime.timedelta(seconds=i)])
    elapsed = time.perf_counter() - start
    db.close()
    return elapsed


def bench_transaction(folder, n):
    db = fresh_service(folder, "tx.db")
    start = time.perf_counter()
    for i in range(n):
        tx = db.beginTransaction()
        db.runPrepUpdate(INSERT, ["k%d" % i, "M1", i, 0, T0 + datetime.timedelta(seconds=i)], tx=tx)
        db.commitTransaction(tx)
        db.closeTransaction(tx)
    elapsed = time.perf_counter() - start
    db.close()
    return elapsed


def bench_store_forward(folder, n):
    db = fresh_service(folder, "sf.db")
    db.enable_store_forward(os.path.join(folder, "sf.journal"))
    start = time.perf_counter()
    for i in range(n):
        db.runSFPrepUpdate(INSERT, ["k%d" % i, "M1", i, 0, T0 + datetime.timedelta(seconds=i)], ["genba"])
    elapsed = time.perf_counter() - start
    db.close()
    return elapsed


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small workload (< 1 minute)")
    args = parser.parse_args(argv)
    n = 300 if args.quick else 2000
    with tempfile.TemporaryDirectory(prefix="genba-bench-db-") as folder:
        raw = bench_raw(folder, n)
        sysdb = bench_system_db(folder, n)
        tx = bench_transaction(folder, n)
        sf = bench_store_forward(folder, n)
        raw_fast = bench_raw(folder, n * 5, NO_FSYNC, "raw-nofsync.db")
        sysdb_fast = bench_system_db(folder, n * 5, NO_FSYNC, "sysdb-nofsync.db")
    rate = lambda seconds: n / seconds if seconds > 0 else float("inf")  # noqa: E731
    rows = [("raw sqlite3 (baseline)", raw), ("system.db.runPrepUpdate", sysdb),
            ("system.db transaction per row", tx), ("system.db.runSFPrepUpdate", sf)]
    print("%-32s %10s %12s" % ("path (%d single-row inserts)" % n, "seconds", "rows/s"))
    for name, seconds in rows:
        print("%-32s %10.3f %12.0f" % (name, seconds, rate(seconds)))
    ratio = rate(sysdb) / rate(raw)
    ratio_fast = raw_fast / sysdb_fast if sysdb_fast > 0 else float("inf")
    print("%-32s %10.3f %12.0f" % ("raw sqlite3, sync=OFF, %d rows" % (n * 5), raw_fast, n * 5 / raw_fast))
    print("%-32s %10.3f %12.0f" % ("system.db, sync=OFF, %d rows" % (n * 5), sysdb_fast, n * 5 / sysdb_fast))
    print("ratio system.db / raw: %.2f (target >= 0.5); without fsync (layer overhead only): %.2f"
          % (ratio, ratio_fast))
    print(json.dumps({"bench": "db", "ratio_vs_raw": round(ratio, 3), "rows": n,
                      "raw_rows_per_s": round(rate(raw)), "system_db_rows_per_s": round(rate(sysdb)),
                      "transaction_rows_per_s": round(rate(tx)), "store_forward_rows_per_s": round(rate(sf)),
                      "ratio_vs_raw_no_fsync": round(ratio_fast, 3),
                      "target": "ratio_vs_raw >= 0.5"}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
