"""Production records through system.db on the real project: a 60 s database outage, a transaction.

One record per second for 90 s of virtual time; the database is switched off from second 20 to
second 80. Every record must be stored afterwards, in order, once. Then a script transaction is
committed, and another is abandoned and rolled back by its idle timeout on the gateway clock.
"""
from __future__ import absolute_import, division, print_function

PROJECT = "project"
START = "2026-01-05T06:00:00"

INSERT = ("INSERT INTO production_records (record_key, machine, good_count, reject_count, recorded_at) "
          "VALUES (?, ?, ?, ?, ?)")


def run(gw):
    from harness.core.db import SwitchableConnector
    db = gw.system.db
    service = db._service
    switch = SwitchableConnector(service.connector("genba"))
    service.set_connector("genba", switch)
    waiting = []
    for second in range(90):
        switch.available = not (20 <= second < 80)
        db.runSFPrepUpdate(INSERT, ["r%03d" % second, "M1", second * 3, second % 4, gw.clock.now()], ["genba"])
        waiting.append(service.store_forward.pending_count())
        gw.clock.advance(1)
    rows = db.runQuery("SELECT record_key, good_count, reject_count, recorded_at FROM production_records ORDER BY id")

    tx = db.beginTransaction(timeout=10000)
    db.runPrepUpdate(INSERT, ["tx-kept", "M2", 1, 0, gw.clock.now()], tx=tx)
    db.commitTransaction(tx)
    db.closeTransaction(tx)
    abandoned = db.beginTransaction(timeout=10000)
    db.runPrepUpdate(INSERT, ["tx-lost", "M2", 1, 0, gw.clock.now()], tx=abandoned)
    gw.clock.advance(11)
    summary = db.runPrepQuery("SELECT machine, COUNT(*) AS n, SUM(good_count) AS good, MAX(recorded_at) AS last "
                              "FROM production_records GROUP BY machine ORDER BY machine", [])
    return {
        "waiting_per_second": waiting,
        "records": [[r["record_key"], r["good_count"], r["reject_count"], r["recorded_at"]] for r in rows],
        "open_transactions_after_timeout": len(service.open_transactions()),
        "summary": [[r[0], r[1], r[2], r[3]] for r in summary],
    }
