"""The db checks run on one host (CPython or Jython 2.7) against each database URL given; prints JSON.

    python tests/parity/db_checks.py OUT.json sqlite:///a.db postgresql://u@127.0.0.1:5432/db
    java -cp ... org.python.util.jython tests/parity/db_checks.py OUT.json ...

Python 2.7/3 common subset. Every value is written with its kind (`{"int": 5}`, `{"datetime": ...}`)
so the comparison catches int/float, str/unicode, bool/int and datetime differences. A check that
raises is recorded as {"error": <exception class>} so both hosts must fail the same way.
"""
from __future__ import absolute_import, division, print_function

import datetime
import io
import json
import os
import shutil
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, ROOT)

from harness.core import migrations  # noqa: E402
from harness.core.compat import integer_types, string_types  # noqa: E402
from harness.core.dataset import PyDataSet, BasicDataset, PyRow, make_dataset_functions  # noqa: E402
from harness.core.db import DatabaseError, DbService, SwitchableConnector, TransactionError  # noqa: E402
from harness.core.sqltext import expand_id_placeholder, split_statements  # noqa: E402

MIGRATIONS = os.path.join(ROOT, "project", "db", "migrations")
T0 = datetime.datetime(2026, 1, 5, 6, 0)
SCHEMA = """
CREATE TABLE lots (
    id {{id}},
    lot TEXT NOT NULL UNIQUE,
    qty BIGINT NOT NULL,
    weight DOUBLE PRECISION,
    released BOOLEAN NOT NULL DEFAULT FALSE,
    made_at TIMESTAMP,
    note TEXT
);
"""
INSERT = "INSERT INTO lots (lot, qty, weight, released, made_at, note) VALUES (?, ?, ?, ?, ?, ?)"


def enc(value):
    """A JSON form that keeps the kind of every value."""
    if value is None:
        return None
    if isinstance(value, bool):
        return {"bool": value}
    if isinstance(value, integer_types):
        return {"int": str(int(value))}
    if isinstance(value, float):
        return {"float": repr(value)}
    if isinstance(value, string_types):
        if not isinstance(value, type(u"")):  # a Jython str literal from this script, not from the DB
            return {"text": value.decode("ascii")}
        return {"text": value}
    if isinstance(value, datetime.datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, (PyDataSet, BasicDataset)):
        ds = value.getUnderlyingDataset() if isinstance(value, PyDataSet) else value
        return {"columns": list(ds.getColumnNames()), "types": list(ds.getColumnTypes()),
                "rows": [enc(list(r)) for r in ds.rows]}
    if isinstance(value, PyRow):
        return [enc(v) for v in value]
    if isinstance(value, (list, tuple)):
        return [enc(v) for v in value]
    if isinstance(value, dict):
        return dict((k, enc(value[k])) for k in sorted(value))
    return {"other": type(value).__name__}


class Clock(object):
    def __init__(self):
        self.ms = 1767592800000.0

    def millis(self):
        return self.ms


def schema(db):
    for statement in split_statements(expand_id_placeholder(SCHEMA, db.dialect())):
        db.runUpdateQuery(statement)


def check_types(db, clock, tmp):
    made = datetime.datetime(2026, 1, 5, 6, 30, 15, 123456)
    db.runPrepUpdate(INSERT, [u"L\u00e9-\u6f22-\U0001F600", 2 ** 40, 12.5, True, made, None])
    db.runPrepUpdate(INSERT, ["plain", 3, -0.1, False, T0, u""])
    return enc(db.runQuery("SELECT lot, qty, weight, released, made_at, note FROM lots ORDER BY id"))


def check_text_is_unicode(db, clock, tmp):
    db.runPrepUpdate(INSERT, ["ascii", 1, None, False, None, u"caf\u00e9"])
    row = db.runQuery("SELECT lot, note, MIN(lot) AS m FROM lots GROUP BY lot, note")[0]
    names = db.runQuery("SELECT lot FROM lots").getColumnNames()
    return [isinstance(v, type(u"")) for v in list(row) + names]


def check_aggregates(db, clock, tmp):
    db.runPrepUpdate(INSERT, ["A", 2, 1.5, True, T0, None])
    db.runPrepUpdate(INSERT, ["B", 3, 2.25, False, T0 + datetime.timedelta(hours=1), None])
    return enc(list(db.runQuery("SELECT SUM(qty) AS s, COUNT(*) AS c, AVG(qty) AS a, SUM(weight) AS w, "
                                "MAX(made_at) AS m, MIN(lot) AS l FROM lots")[0]))


def check_numeric(db, clock, tmp):
    return enc([db.runScalarQuery("SELECT CAST(2.50 AS NUMERIC(10, 2))"),
                db.runScalarQuery("SELECT 7 / 2"), db.runScalarQuery("SELECT 7 * 1.0 / 2"),
                db.runScalarQuery("SELECT NULL")])


def check_injection_and_literals(db, clock, tmp):
    evil = "'; DROP TABLE lots;--"
    db.runPrepUpdate(INSERT, [evil, 1, None, False, None, 'x"); DELETE FROM lots; -- 50% ?'])
    return enc([db.runScalarPrepQuery("SELECT note FROM lots WHERE lot = ?", [evil]),
                db.runScalarQuery("SELECT COUNT(*) FROM lots WHERE note LIKE '%50\\%%' ESCAPE '\\' AND lot <> '?'")])


def check_keys_and_counts(db, clock, tmp):
    keys = [db.runPrepUpdate(INSERT, ["K%d" % i, i, None, False, None, None], getKey=True) for i in range(3)]
    updated = db.runPrepUpdate("UPDATE lots SET qty = ? WHERE qty < ?", [10, 2])
    deleted = db.runUpdateQuery("DELETE FROM lots WHERE qty = 10")
    return enc([keys, updated, deleted, db.runScalarPrepQuery("SELECT qty FROM lots WHERE lot = ?", ["none"])])


def check_transactions(db, clock, tmp):
    tx = db.beginTransaction(isolationLevel=db.SERIALIZABLE)
    db.runPrepUpdate(INSERT, ["T1", 1, None, False, None, None], tx=tx)
    db.commitTransaction(tx)
    db.runPrepUpdate(INSERT, ["T2", 1, None, False, None, None], tx=tx)
    inside = db.runScalarQuery("SELECT COUNT(*) FROM lots", tx=tx)
    db.rollbackTransaction(tx)
    db.runPrepUpdate(INSERT, ["T3", 1, None, False, None, None], tx=tx)
    db.closeTransaction(tx)
    try:
        db.commitTransaction(tx)
        after = "no error"
    except TransactionError:
        after = "TransactionError"
    return enc([inside, after, [r[0] for r in db.runQuery("SELECT lot FROM lots ORDER BY id")]])


def check_timeout(db, clock, tmp):
    tx = db.beginTransaction(timeout=5000)
    db.runPrepUpdate(INSERT, ["X1", 1, None, False, None, None], tx=tx)
    clock.ms += 4000
    db.runPrepUpdate(INSERT, ["X2", 1, None, False, None, None], tx=tx)
    clock.ms += 5500
    db.runPrepUpdate(INSERT, ["X3", 1, None, False, None, None])
    return enc([db.open_transactions(), [r[0] for r in db.runQuery("SELECT lot FROM lots ORDER BY id")]])


def check_named_queries(db, clock, tmp):
    folder = os.path.join(db.queries_dir, "lots")
    if not os.path.isdir(folder):
        os.makedirs(folder)
    for name, sql, kind, params in (
            ("add", "INSERT INTO lots (lot, qty, released) VALUES (:lot, :qty, :released)", "UpdateQuery",
             [("lot", "String"), ("qty", "Int8"), ("released", "Boolean")]),
            ("by_qty", "SELECT lot, qty FROM lots WHERE qty >= :qty ORDER BY lot", "Query", [("qty", "Int4")]),
            ("count", "SELECT COUNT(*) FROM lots WHERE released = :released", "ScalarQuery", [("released", "Boolean")])):
        with io.open(os.path.join(folder, name + ".sql"), "w", encoding="utf-8") as handle:
            handle.write(u"" + sql)
        with io.open(os.path.join(folder, name + ".json"), "w", encoding="utf-8") as handle:
            handle.write(u"" + json.dumps({"type": kind, "database": "",
                                           "parameters": [{"identifier": k, "sqlType": t} for k, t in params]}))
    key = db.runNamedQuery("lots/add", {"lot": "N1", "qty": "7", "released": True}, getKey=True)
    db.runNamedQuery("lots/add", {"lot": "N2", "qty": 2, "released": "false"})
    return enc([key, db.runNamedQuery("lots/by_qty", {"qty": 2}), db.runNamedQuery("lots/count", {"released": False})])


def check_upsert_and_booleans(db, clock, tmp):
    sql = "INSERT INTO lots (lot, qty) VALUES (?, ?) ON CONFLICT (lot) DO UPDATE SET qty = lots.qty + excluded.qty"
    db.runPrepUpdate(sql, ["U1", 2])
    db.runPrepUpdate(sql, ["U1", 3])
    db.runPrepUpdate("INSERT INTO lots (lot, qty) VALUES (?, ?) ON CONFLICT (lot) DO NOTHING", ["U1", 100])
    db.runUpdateQuery("UPDATE lots SET released = TRUE WHERE NOT released")
    return enc([db.runScalarQuery("SELECT qty FROM lots"), db.runScalarPrepQuery(
        "SELECT COUNT(*) FROM lots WHERE released = ?", [True]), db.runScalarQuery("SELECT released FROM lots")])


def check_time_ranges(db, clock, tmp):
    for hour in (6, 7, 8):
        db.runPrepUpdate(INSERT, ["H%d" % hour, hour, None, False, T0.replace(hour=hour), None])
    return enc(db.runPrepQuery("SELECT lot, made_at FROM lots WHERE made_at >= ? AND made_at < ? ORDER BY made_at",
                               [T0.replace(minute=30), T0.replace(hour=8)]))


def check_errors(db, clock, tmp):
    out = []
    for sql, args in (("SELECT nope FROM lots WHERE qty = ?", [3]), ("SELECT * FROM lots WHERE lot = ?", []),
                      ("INSERT INTO lots (lot, qty) VALUES (?, NULL)", ["E1"])):
        try:
            db.runPrepQuery(sql, args)
            out.append("no error")
        except DatabaseError as exc:
            out.append([type(exc).__name__, exc.sql, enc(exc.arguments), bool(exc.driver_message),
                        exc.cause is not None])
    return out


def check_migrations(db, clock, tmp):
    applied = migrations.upgrade(db, MIGRATIONS)
    again = migrations.upgrade(db, MIGRATIONS)
    return enc([applied, again, migrations.status(db, MIGRATIONS)["pending"]])


def check_store_forward(db, clock, tmp):
    migrations.upgrade(db, MIGRATIONS)
    switch = SwitchableConnector(db.connector())
    db.set_connector(db.default_database, switch)
    db.enable_store_forward(os.path.join(tmp, "sf.journal"), retry_ms=5000)
    sql = ("INSERT INTO production_records (record_key, machine, good_count, reject_count, recorded_at) "
           "VALUES (?, ?, ?, ?, ?)")
    queued = []
    for i in range(30):
        switch.available = not (5 <= i < 25)
        db.runSFPrepUpdate(sql, ["r%03d" % i, "M1", i, i % 3, T0 + datetime.timedelta(seconds=i)], ["genba"])
        queued.append(db.store_forward.pending_count())
        clock.ms += 1000
    rows = db.runQuery("SELECT record_key, good_count, recorded_at FROM production_records ORDER BY id")
    return enc([queued, rows])


def check_datasets(db, clock, tmp):
    sd = make_dataset_functions()
    ds = sd.toDataSet(["lot", "qty", "w", "t"], [["L10", 1, 1.5, T0], ["L2", 2 ** 40, None, None], [u"\u00e9", 3, 2.0, T0]])
    csv = sd.toCSV(ds, forExport=True)
    back = sd.fromCSV(csv)
    return enc([csv, back == ds, sd.sort(ds, "lot"), sd.addColumn(ds, [True, False, None], "ok", "java.lang.Boolean"),
                sd.toCSV(sd.filterColumns(ds, "w,lot"))])


CHECKS = [(name[6:], fn) for name, fn in sorted(globals().items()) if name.startswith("check_")]


def drop_every_table(db, url):
    """Each check starts on an empty database, whatever tables the project's migrations made."""
    if url.startswith("postgres"):
        tables = [r[0] for r in db.runQuery("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        suffix = " CASCADE"
    else:
        tables = [r[0] for r in db.runQuery(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        suffix = ""
    for table in tables:
        db.runUpdateQuery("DROP TABLE IF EXISTS " + table + suffix)


def run(url):
    results = {}
    for name, fn in CHECKS:
        tmp = tempfile.mkdtemp(prefix="genba-dbcheck-")
        db = DbService({"genba": url}, "genba", clock=Clock(), queries_dir=os.path.join(tmp, "queries"))
        clock = Clock()
        db._millis = clock.millis
        try:
            drop_every_table(db, url)
            if name not in ("migrations", "store_forward"):
                schema(db)
            results[name] = fn(db, clock, tmp)
        except Exception as exc:  # recorded, so both hosts must fail alike
            results[name] = {"error": type(exc).__name__, "message": str(exc)[:300]}
        finally:
            db.close()
            shutil.rmtree(tmp, ignore_errors=True)
    return results


def main(argv):
    out_path = argv[1]
    document = {"host": "jython" if sys.platform.startswith("java") else "cpython", "results": {}}
    for url in argv[2:]:
        document["results"]["postgresql" if url.startswith("postgres") else "sqlite"] = run(url)
    with io.open(out_path, "w", encoding="utf-8") as handle:
        text = json.dumps(document, sort_keys=True, indent=1, ensure_ascii=True)
        if not isinstance(text, type(u"")):
            text = text.decode("ascii")
        handle.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
