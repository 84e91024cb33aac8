"""system.db behaves the same on SQLite and PostgreSQL (IGNITION.md §7, project/db/README.md)."""
import datetime
import json
import os

import pytest

from harness.core import migrations
from harness.core.db import DatabaseError, DbService, TransactionError, UnknownDatabase
from harness.pytest_db import postgres_server, postgres_url, sqlite_url  # noqa: F401  (fixtures)

MIGRATIONS = os.path.join(os.path.dirname(__file__), "..", "..", "project", "db", "migrations")

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


class FakeClock(object):
    """A clock the test moves by hand (milliseconds)."""

    def __init__(self):
        self.ms = 1767592800000.0

    def millis(self):
        return self.ms

    def advance(self, seconds):
        self.ms += seconds * 1000.0


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request):
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_url")
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def db(db_url, clock, tmp_path):
    queries = tmp_path / "queries"
    service = DbService({"genba": db_url, "other": db_url}, "genba", clock=clock, queries_dir=str(queries))
    from harness.core.sqltext import expand_id_placeholder, split_statements
    for statement in split_statements(expand_id_placeholder(SCHEMA, service.dialect())):
        service.runUpdateQuery(statement)
    yield service
    service.close()


def insert(db, lot, qty=1, tx=None, **extra):
    return db.runPrepUpdate("INSERT INTO lots (lot, qty, weight, released, made_at, note) VALUES (?, ?, ?, ?, ?, ?)",
                            [lot, qty, extra.get("weight"), extra.get("released", False), extra.get("made_at"),
                             extra.get("note")], tx=tx, getKey=extra.get("getKey", False))


def lot_names(db):
    return [r["lot"] for r in db.runQuery("SELECT lot FROM lots ORDER BY id")]


def test_run_prep_query_returns_a_pydataset_with_named_columns(db):
    insert(db, "L1", 5)
    ds = db.runPrepQuery("SELECT lot, qty FROM lots WHERE qty > ?", [1])
    assert ds.getColumnNames() == ["lot", "qty"]
    assert len(ds) == 1
    assert ds[0]["lot"] == "L1"
    assert ds[0][1] == 5


def test_values_come_back_in_the_same_python_types_on_every_engine(db):
    made = datetime.datetime(2026, 1, 5, 6, 30, 15, 123456)
    insert(db, u"L\u00e9-\u6f22", 2 ** 40, weight=12.5, released=True, made_at=made, note=None)
    row = db.runQuery("SELECT lot, qty, weight, released, made_at, note FROM lots")[0]
    assert list(row) == [u"L\u00e9-\u6f22", 2 ** 40, 12.5, True, made, None]
    assert [type(v).__name__ for v in row] == ["str", "int", "float", "bool", "datetime", "NoneType"]


def test_false_boolean_reads_back_as_false_not_zero(db):
    insert(db, "L1", released=False)
    value = db.runScalarQuery("SELECT released FROM lots")
    assert value is False


def test_aware_datetimes_are_stored_as_naive_utc(db):
    tz = datetime.timezone(datetime.timedelta(hours=2))
    insert(db, "L1", made_at=datetime.datetime(2026, 1, 5, 8, 0, tzinfo=tz))
    assert db.runScalarQuery("SELECT made_at FROM lots") == datetime.datetime(2026, 1, 5, 6, 0)


def test_aggregates_have_the_same_types_on_every_engine(db):
    insert(db, "L1", 2, weight=1.5, made_at=datetime.datetime(2026, 1, 5, 6, 0))
    insert(db, "L2", 3, weight=2.5, made_at=datetime.datetime(2026, 1, 5, 7, 0))
    row = db.runQuery("SELECT SUM(qty) AS s, COUNT(*) AS c, AVG(qty) AS a, SUM(weight) AS w, MAX(made_at) AS m "
                      "FROM lots")[0]
    assert list(row) == [5, 2, 2.5, 4.0, datetime.datetime(2026, 1, 5, 7, 0)]
    assert [type(v).__name__ for v in row] == ["int", "int", "float", "float", "datetime"]


def test_a_column_of_timestamps_from_an_expression_is_read_as_datetimes_after_leading_nulls(db):
    insert(db, "L1", made_at=None)
    insert(db, "L2", made_at=datetime.datetime(2026, 1, 5, 7, 0, 0, 250000))
    rows = db.runQuery("SELECT lot, MAX(made_at) AS m, SUM(qty) AS s FROM lots GROUP BY lot ORDER BY lot")
    assert [list(row) for row in rows] == [["L1", None, 1], ["L2", datetime.datetime(2026, 1, 5, 7, 0, 0, 250000), 1]]


def test_numeric_values_of_a_column_after_a_null_come_back_as_numbers(db):
    rows = db.runQuery("SELECT CAST(NULL AS NUMERIC(10, 2)) AS n UNION ALL SELECT CAST(2.50 AS NUMERIC(10, 2))")
    assert sorted([row[0] for row in rows], key=lambda v: v is not None) == [None, 2.5]


def test_numeric_with_scale_comes_back_as_float(db):
    value = db.runScalarQuery("SELECT CAST(2.50 AS NUMERIC(10, 2))")
    assert value == 2.5 and isinstance(value, float)


def test_timestamps_compare_correctly_against_bound_datetimes(db):
    for hour in (6, 7, 8):
        insert(db, "L%d" % hour, made_at=datetime.datetime(2026, 1, 5, hour, 0))
    ds = db.runPrepQuery("SELECT lot FROM lots WHERE made_at >= ? AND made_at < ? ORDER BY made_at",
                         [datetime.datetime(2026, 1, 5, 6, 30), datetime.datetime(2026, 1, 5, 8, 0)])
    assert [r[0] for r in ds] == ["L7"]


def test_get_key_returns_the_generated_id(db):
    first = insert(db, "L1", getKey=True)
    second = insert(db, "L2", getKey=True)
    assert (first, second) == (1, 2)


def test_run_prep_update_returns_rows_affected(db):
    insert(db, "L1")
    insert(db, "L2")
    assert db.runPrepUpdate("UPDATE lots SET qty = ? WHERE qty = ?", [9, 1]) == 2
    assert db.runUpdateQuery("DELETE FROM lots WHERE qty = 9") == 2


def test_scalar_query_of_no_rows_is_none(db):
    assert db.runScalarPrepQuery("SELECT qty FROM lots WHERE lot = ?", ["nope"]) is None


def test_injection_text_is_stored_verbatim(db):
    evil = "'; DROP TABLE lots;--"
    insert(db, evil, note='x"); DELETE FROM lots; --')
    assert db.runScalarPrepQuery("SELECT note FROM lots WHERE lot = ?", [evil]) == 'x"); DELETE FROM lots; --'
    assert lot_names(db) == [evil]


def test_question_mark_and_percent_inside_literals_are_not_placeholders(db):
    insert(db, "a?%", note="50%")
    assert db.runPrepQuery("SELECT lot FROM lots WHERE note LIKE '%\\%' ESCAPE '\\' AND lot <> '?' AND qty = ?",
                           [1])[0][0] == "a?%"
    assert db.runScalarQuery("SELECT COUNT(*) FROM lots WHERE note LIKE '5%'") == 1


def test_upsert_on_conflict_is_portable(db):
    sql = "INSERT INTO lots (lot, qty) VALUES (?, ?) ON CONFLICT (lot) DO UPDATE SET qty = lots.qty + excluded.qty"
    db.runPrepUpdate(sql, ["L1", 2])
    db.runPrepUpdate(sql, ["L1", 3])
    db.runPrepUpdate("INSERT INTO lots (lot, qty) VALUES (?, ?) ON CONFLICT (lot) DO NOTHING", ["L1", 100])
    assert db.runScalarPrepQuery("SELECT qty FROM lots WHERE lot = ?", ["L1"]) == 5


def test_boolean_literals_and_predicates_are_portable(db):
    insert(db, "L1", released=True)
    insert(db, "L2", released=False)
    db.runUpdateQuery("UPDATE lots SET released = TRUE WHERE lot = 'L2' AND NOT released")
    assert db.runScalarQuery("SELECT COUNT(*) FROM lots WHERE released") == 2
    assert db.runScalarPrepQuery("SELECT COUNT(*) FROM lots WHERE released = ?", [False]) == 0


def test_sql_error_carries_sql_args_driver_message_and_cause(db):
    with pytest.raises(DatabaseError) as caught:
        db.runPrepQuery("SELECT nope FROM lots WHERE qty = ?", [3])
    error = caught.value
    assert error.sql == "SELECT nope FROM lots WHERE qty = ?"
    assert error.arguments == [3]
    assert "nope" in error.driver_message
    assert error.cause is not None and error.__cause__ is error.cause
    assert "nope" in str(error) and "SELECT nope" in str(error)


def test_constraint_violation_raises_and_leaves_the_database_usable(db):
    insert(db, "L1")
    with pytest.raises(DatabaseError):
        insert(db, "L1")
    insert(db, "L2")
    assert lot_names(db) == ["L1", "L2"]


def test_wrong_argument_count_is_an_error_before_reaching_the_driver(db):
    with pytest.raises(DatabaseError, match="2 \\? placeholders but 1 arguments"):
        db.runPrepQuery("SELECT * FROM lots WHERE lot = ? AND qty = ?", ["L1"])


def test_unknown_database_name_is_an_error_naming_it(db):
    with pytest.raises(UnknownDatabase, match="'nowhere'"):
        db.runQuery("SELECT 1", "nowhere")


def test_named_database_and_default_database_reach_the_same_data(db):
    insert(db, "L1")
    assert db.runScalarQuery("SELECT COUNT(*) FROM lots", "other") == 1


def test_isolation_constants_match_ignition(db):
    assert (db.READ_UNCOMMITTED, db.READ_COMMITTED, db.REPEATABLE_READ, db.SERIALIZABLE) == (1, 2, 4, 8)


# -- transactions ---------------------------------------------------------------------------------

def test_committed_transaction_is_visible_and_stays_open_until_closed(db):
    tx = db.beginTransaction()
    insert(db, "L1", tx=tx)
    db.commitTransaction(tx)
    insert(db, "L2", tx=tx)
    db.commitTransaction(tx)
    db.closeTransaction(tx)
    assert lot_names(db) == ["L1", "L2"]


def test_rollback_discards_work_since_the_last_commit(db):
    tx = db.beginTransaction(isolationLevel=db.SERIALIZABLE)
    insert(db, "L1", tx=tx)
    db.commitTransaction(tx)
    insert(db, "L2", tx=tx)
    db.rollbackTransaction(tx)
    db.closeTransaction(tx)
    assert lot_names(db) == ["L1"]


def test_closing_without_commit_rolls_back_and_the_id_becomes_invalid(db):
    tx = db.beginTransaction()
    insert(db, "L1", tx=tx)
    db.closeTransaction(tx)
    assert lot_names(db) == []
    with pytest.raises(TransactionError, match=repr(tx)):
        insert(db, "L2", tx=tx)


def test_reads_inside_a_transaction_see_its_uncommitted_work(db):
    tx = db.beginTransaction()
    key = insert(db, "L1", tx=tx, getKey=True)
    assert db.runScalarPrepQuery("SELECT lot FROM lots WHERE id = ?", [key], tx=tx) == "L1"
    db.closeTransaction(tx)


def test_idle_transaction_expires_after_its_timeout_and_is_rolled_back(db, clock):
    tx = db.beginTransaction(timeout=5000)
    insert(db, "L1", tx=tx)
    clock.advance(4)
    insert(db, "L2", tx=tx)  # use restarts the idle timer
    clock.advance(4.5)
    assert db.open_transactions() == [tx]
    clock.advance(1)
    assert db.expire_transactions() == [tx]
    with pytest.raises(TransactionError):
        db.commitTransaction(tx)
    insert(db, "L3")  # the abandoned transaction holds no lock any more
    assert lot_names(db) == ["L3"]


def test_abandoned_transaction_is_rolled_back_by_the_next_call_after_its_timeout(db, clock):
    tx = db.beginTransaction(timeout=1000)
    insert(db, "L1", tx=tx)
    clock.advance(2)
    insert(db, "L2")
    assert db.open_transactions() == []
    assert lot_names(db) == ["L2"]


def test_statement_error_inside_a_transaction_names_the_transaction(db):
    tx = db.beginTransaction()
    with pytest.raises(DatabaseError, match="transaction"):
        db.runQuery("SELECT nope FROM lots", tx=tx)
    db.closeTransaction(tx)


# -- named queries ----------------------------------------------------------------------------------

def write_named(db, path, sql, kind, params):
    base = os.path.join(db.queries_dir, *path.split("/"))
    os.makedirs(os.path.dirname(base), exist_ok=True)
    with open(base + ".sql", "w") as handle:
        handle.write(sql)
    with open(base + ".json", "w") as handle:
        json.dump({"type": kind, "database": "", "parameters": [{"identifier": k, "sqlType": t} for k, t in params]},
                  handle)


def test_named_queries_bind_colon_parameters_by_name(db):
    write_named(db, "lots/add", "INSERT INTO lots (lot, qty, released) VALUES (:lot, :qty, :released)", "UpdateQuery",
                [("lot", "String"), ("qty", "Int8"), ("released", "Boolean")])
    write_named(db, "lots/by_qty", "SELECT lot FROM lots WHERE qty >= :qty AND lot <> ':qty' ORDER BY lot", "Query",
                [("qty", "Int4")])
    write_named(db, "lots/count", "SELECT COUNT(*) FROM lots WHERE released = :released", "ScalarQuery",
                [("released", "Boolean")])
    assert db.runNamedQuery("lots/add", {"lot": "L1", "qty": "7", "released": True}, getKey=True) == 1
    db.runNamedQuery("lots/add", {"lot": "L2", "qty": 2, "released": "false"})
    assert [r[0] for r in db.runNamedQuery("lots/by_qty", {"qty": 2})] == ["L1", "L2"]
    assert db.runNamedQuery("lots/count", {"released": False}) == 1


def test_named_query_missing_parameter_is_an_error_naming_it(db):
    write_named(db, "lots/one", "SELECT * FROM lots WHERE lot = :lot", "Query", [("lot", "String")])
    with pytest.raises(DatabaseError, match="'lot'"):
        db.runNamedQuery("lots/one", {})


def test_named_query_in_a_transaction(db):
    write_named(db, "lots/add", "INSERT INTO lots (lot, qty) VALUES (:lot, 1)", "UpdateQuery", [("lot", "String")])
    tx = db.beginTransaction()
    db.runNamedQuery("lots/add", {"lot": "L1"}, tx)
    db.rollbackTransaction(tx)
    db.closeTransaction(tx)
    assert lot_names(db) == []


def test_unknown_named_query_is_an_error_naming_the_path(db):
    with pytest.raises(DatabaseError, match="'nope/nothing'"):
        db.runNamedQuery("nope/nothing", {})


# -- migrations ---------------------------------------------------------------------------------------

@pytest.fixture
def bare(db_url, clock):
    service = DbService({"genba": db_url}, "genba", clock=clock)
    yield service
    service.close()


def test_project_migrations_apply_in_order_and_rerun_as_a_no_op(bare):
    names = sorted(f[:-4] for f in os.listdir(MIGRATIONS) if f.endswith(".sql"))
    assert migrations.upgrade(bare, MIGRATIONS) == names
    assert migrations.upgrade(bare, MIGRATIONS) == []
    assert migrations.status(bare, MIGRATIONS)["pending"] == []
    key = bare.runPrepUpdate("INSERT INTO production_records (record_key, machine, good_count, reject_count, recorded_at)"
                             " VALUES (?, ?, ?, ?, ?)", ["k1", "M1", 10, 1, datetime.datetime(2026, 1, 5)], getKey=True)
    assert key == 1


def test_changed_applied_migration_is_an_error(bare, tmp_path):
    folder = tmp_path / "m"
    folder.mkdir()
    (folder / "0001_a.sql").write_text("CREATE TABLE a (id {{id}}, v TEXT);\n")
    migrations.upgrade(bare, str(folder))
    (folder / "0001_a.sql").write_text("CREATE TABLE a (id {{id}}, v TEXT, w TEXT);\n")
    with pytest.raises(migrations.MigrationError, match="0001_a.sql was changed after it was applied"):
        migrations.upgrade(bare, str(folder))


def test_line_endings_do_not_change_a_migration_checksum(bare, tmp_path):
    folder = tmp_path / "m"
    folder.mkdir()
    (folder / "0001_a.sql").write_bytes(b"CREATE TABLE a (v TEXT);\n")
    migrations.upgrade(bare, str(folder))
    (folder / "0001_a.sql").write_bytes(b"CREATE TABLE a (v TEXT);\r\n")
    assert migrations.upgrade(bare, str(folder)) == []


def test_failing_migration_leaves_no_trace_and_later_ones_wait(bare, tmp_path):
    folder = tmp_path / "m"
    folder.mkdir()
    (folder / "0001_ok.sql").write_text("CREATE TABLE a (v TEXT);")
    (folder / "0002_bad.sql").write_text("CREATE TABLE b (v TEXT);\nINSERT INTO nowhere VALUES (1);")
    (folder / "0003_next.sql").write_text("CREATE TABLE c (v TEXT);")
    with pytest.raises(migrations.MigrationError, match="0002_bad.sql failed"):
        migrations.upgrade(bare, str(folder))
    assert migrations.status(bare, str(folder))["applied"] == ["0001_ok"]
    with pytest.raises(DatabaseError):
        bare.runQuery("SELECT * FROM b")


def test_badly_named_or_duplicate_migrations_are_errors(tmp_path):
    (tmp_path / "1_x.sql").write_text("")
    with pytest.raises(migrations.MigrationError, match="NNNN_lower_snake_slug"):
        migrations.discover(str(tmp_path))
    (tmp_path / "1_x.sql").unlink()
    (tmp_path / "0001_a.sql").write_text("")
    (tmp_path / "0001_b.sql").write_text("")
    with pytest.raises(migrations.MigrationError, match="share the number 0001"):
        migrations.discover(str(tmp_path))


def test_arguments_that_are_not_a_list_are_an_error(db):
    with pytest.raises(DatabaseError, match="Arguments must be a list, got 'L1'"):
        db.runPrepQuery("SELECT * FROM lots WHERE lot = ?", "L1")
    with pytest.raises(DatabaseError, match="Arguments must be a list, got 5"):
        db.runPrepQuery("SELECT * FROM lots WHERE qty = ?", 5)


def test_named_query_gateway_scope_form_with_a_project_name(db):
    write_named(db, "lots/count_all", "SELECT COUNT(*) FROM lots WHERE qty >= :qty", "ScalarQuery", [("qty", "Int4")])
    insert(db, "L1", 3)
    assert db.runNamedQuery("genba", "lots/count_all", {"qty": 1}) == 1


def test_get_key_works_when_the_statement_ends_in_a_comment_holding_a_question_mark(db):
    key = db.runPrepUpdate("INSERT INTO lots (lot, qty) VALUES (?, ?) -- why? because;\n", ["L1", 1], getKey=True)
    assert key == 1
