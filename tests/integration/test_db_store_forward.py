"""Store-and-forward: writes made while the database is down arrive afterwards, in order, once each."""
import datetime
import json
import os

import pytest

from harness.core import migrations
from harness.core.db import DbService, SwitchableConnector
from harness.core.store_forward import StoreAndForward, StoreForwardError
from harness.pytest_db import postgres_server, postgres_url, sqlite_url  # noqa: F401  (fixtures)

MIGRATIONS = os.path.join(os.path.dirname(__file__), "..", "..", "project", "db", "migrations")
INSERT = ("INSERT INTO production_records (record_key, machine, good_count, reject_count, recorded_at) "
          "VALUES (?, ?, ?, ?, ?)")
START = datetime.datetime(2026, 1, 5, 6, 0)


class FakeClock(object):
    def __init__(self):
        self.ms = 1767592800000.0

    def millis(self):
        return self.ms

    def advance(self, seconds):
        self.ms += seconds * 1000.0


def make_service(url, clock, journal, switchable=True):
    service = DbService({"genba": url}, "genba", clock=clock)
    if switchable:
        service.set_connector("genba", SwitchableConnector(service.connector("genba")))
    migrations.upgrade(service, MIGRATIONS)
    service.enable_store_forward(str(journal), retry_ms=5000)
    return service


def produce(service, clock, seconds, first=0):
    """One production record per second of clock time, through system.db.runSFPrepUpdate."""
    for i in range(first, first + seconds):
        when = START + datetime.timedelta(seconds=i)
        assert service.runSFPrepUpdate(INSERT, ["r%04d" % i, "M1", i, i % 3, when], ["genba"]) is True
        clock.advance(1)


def stored(service):
    return [(r[0], r[1]) for r in service.runQuery(
        "SELECT record_key, good_count FROM production_records ORDER BY id")]


def expected(n):
    return [("r%04d" % i, i) for i in range(n)]


@pytest.fixture
def clock():
    return FakeClock()


def test_sixty_seconds_of_outage_on_sqlite_loses_and_duplicates_nothing(sqlite_url, clock, tmp_path):
    service = make_service(sqlite_url, clock, tmp_path / "sf.journal")
    switch = service.connector("genba")
    produce(service, clock, 10)
    switch.available = False
    produce(service, clock, 60, first=10)
    assert service.store_forward.pending_count() == 60
    switch.available = True
    produce(service, clock, 10, first=70)
    assert service.store_forward.pending_count() == 0
    assert stored(service) == expected(80)
    assert service.runScalarQuery("SELECT COUNT(*) FROM sf_applied") == 80
    assert os.path.getsize(str(tmp_path / "sf.journal")) == 0
    service.close()


@pytest.mark.postgres
def test_sixty_seconds_with_the_postgresql_server_stopped_loses_and_duplicates_nothing(
        postgres_server, postgres_url, clock, tmp_path):
    service = make_service(postgres_url, clock, tmp_path / "sf.journal", switchable=False)
    produce(service, clock, 10)
    postgres_server.stop()
    try:
        produce(service, clock, 60, first=10)
        assert service.store_forward.pending_count() == 60
    finally:
        postgres_server.start()
    produce(service, clock, 10, first=70)
    assert service.store_forward.pending_count() == 0
    assert stored(service) == expected(80)
    service.close()


def test_records_queued_before_a_gateway_restart_are_forwarded_after_it(sqlite_url, clock, tmp_path):
    journal = tmp_path / "sf.journal"
    service = make_service(sqlite_url, clock, journal)
    service.connector("genba").available = False
    produce(service, clock, 5)
    service.close()
    restarted = make_service(sqlite_url, clock, journal)
    assert restarted.store_forward.pending_count() == 5
    assert restarted.store_forward.drain() == 5
    assert stored(restarted) == expected(5)
    restarted.close()


def test_crash_between_commit_and_journal_mark_does_not_write_twice(sqlite_url, clock, tmp_path):
    journal = tmp_path / "sf.journal"
    service = make_service(sqlite_url, clock, journal)
    service.connector("genba").available = False
    produce(service, clock, 3)
    service.connector("genba").available = True
    queue = service.store_forward
    real_append = queue._append
    calls = []

    def crash_on_second_mark(entry):
        if entry.get("op") == "done":
            calls.append(entry["key"])
            if len(calls) == 2:
                raise SystemExit("gateway killed")
        real_append(entry)

    queue._append = crash_on_second_mark
    with pytest.raises(SystemExit):
        queue.drain()
    service.close()
    restarted = make_service(sqlite_url, clock, journal)
    assert restarted.store_forward.pending_count() == 2  # r0001 committed but not marked, r0002 not sent
    assert restarted.store_forward.drain() == 2
    assert stored(restarted) == expected(3)
    restarted.close()


def test_a_torn_last_journal_line_is_dropped_on_load(sqlite_url, clock, tmp_path):
    journal = tmp_path / "sf.journal"
    service = make_service(sqlite_url, clock, journal)
    service.connector("genba").available = False
    produce(service, clock, 2)
    service.close()
    with open(str(journal), "ab") as handle:
        handle.write(b'{"op": "put", "key": "torn", "sq')
    restarted = make_service(sqlite_url, clock, journal)
    assert [r["args"][0] for r in restarted.store_forward.pending()] == ["r0000", "r0001"]
    restarted.store_forward.drain()
    assert stored(restarted) == expected(2)
    restarted.close()


def test_a_failing_statement_is_quarantined_and_does_not_block_the_queue(sqlite_url, clock, tmp_path):
    journal = tmp_path / "sf.journal"
    service = make_service(sqlite_url, clock, journal)
    produce(service, clock, 1)
    service.runSFPrepUpdate("INSERT INTO nowhere (x) VALUES (?)", [1], "genba")
    produce(service, clock, 1, first=1)
    assert stored(service) == expected(2)
    assert service.store_forward.quarantined == 1
    with open(str(journal) + ".quarantine") as handle:
        bad = [json.loads(line) for line in handle]
    assert [(b["sql"], b["args"]) for b in bad] == [("INSERT INTO nowhere (x) VALUES (?)", [1])]
    assert "nowhere" in bad[0]["error"]
    service.close()


def test_unsupported_argument_types_are_refused_when_queued(sqlite_url, clock, tmp_path):
    service = make_service(sqlite_url, clock, tmp_path / "sf.journal")
    with pytest.raises(StoreForwardError, match="object"):
        service.runSFPrepUpdate(INSERT, ["k", "M1", 1, 0, object()], "genba")
    assert service.store_forward.pending_count() == 0
    service.close()


def test_datetimes_survive_the_journal_exactly(sqlite_url, clock, tmp_path):
    service = make_service(sqlite_url, clock, tmp_path / "sf.journal")
    service.connector("genba").available = False
    when = datetime.datetime(2026, 1, 5, 6, 0, 0, 123456)
    service.runSFPrepUpdate(INSERT, ["k", "M1", 1, 0, when], "genba")
    assert service.store_forward.pending()[0]["args"][4] == when
    service.connector("genba").available = True
    service.store_forward.drain()
    assert service.runScalarQuery("SELECT recorded_at FROM production_records") == when
    service.close()


def test_store_and_forward_direct_use_returns_the_record_key(sqlite_url, clock, tmp_path):
    service = make_service(sqlite_url, clock, tmp_path / "sf.journal")
    queue = StoreAndForward(service, str(tmp_path / "other.journal"))
    key = queue.submit(INSERT, ["k9", "M2", 3, 0, START], "genba", key="fixed-key")
    assert key == "fixed-key"
    assert service.runScalarPrepQuery("SELECT datasource FROM sf_applied WHERE record_key = ?", [key]) == "genba"
    service.close()


def test_outage_scenario_on_the_gateway_keeps_every_record_in_order_and_drops_the_abandoned_transaction():
    from harness.core.scenario import run_scenario
    result = run_scenario(os.path.join(os.path.dirname(__file__), "..", "scenarios", "db_production_outage.py"))
    assert "error" not in result, result
    # back at second 80; the queue waits for its retry (every 5 s of clock time) and drains at 85
    assert result["waiting_per_second"] == [0] * 20 + list(range(1, 66)) + [0] * 5
    assert [r[0] for r in result["records"]] == ["r%03d" % i for i in range(90)]
    assert result["records"][79] == ["r079", 237, 3, "2026-01-05T06:01:19.000"]
    assert result["open_transactions_after_timeout"] == 0
    assert result["summary"] == [["M1", 90, 12015, "2026-01-05T06:01:29.000"],
                                 ["M2", 1, 1, "2026-01-05T06:01:30.000"]]
