"""system.db and system.dataset as scripts see them on a gateway (migrations applied on start)."""
import datetime

import pytest

from harness.core.errors import HarnessError, NotEmulated

PROJECT = "project"


@pytest.fixture
def gw(make_gateway):
    return make_gateway(project=PROJECT, start="2026-01-05T06:00:00")


def test_project_migrations_are_applied_when_the_gateway_starts(gw):
    applied = gw.eval("[r['version'] for r in system.db.runQuery('SELECT version FROM schema_migrations ORDER BY version')]")
    assert applied[:2] == [1, 2]


def test_scripts_write_and_read_through_system_db_with_the_gateway_clock(gw):
    gw.execute(
        "tx = system.db.beginTransaction()\n"
        "system.db.runPrepUpdate('INSERT INTO production_records (record_key, machine, good_count, reject_count,"
        " recorded_at) VALUES (?, ?, ?, ?, ?)', ['k1', 'M1', 5, 0, system.date.now()], tx=tx)\n"
        "system.db.commitTransaction(tx)\n"
        "system.db.closeTransaction(tx)\n")
    row = gw.eval("system.db.runQuery('SELECT machine, good_count, recorded_at FROM production_records')[0]")
    assert list(row) == ["M1", 5, datetime.datetime(2026, 1, 5, 6, 0)]


def test_a_transaction_abandoned_by_a_script_is_rolled_back_after_its_timeout_on_the_gateway_clock(gw):
    tx = gw.eval("system.db.beginTransaction(timeout=30000)")
    gw.eval("system.db.runPrepUpdate(\"INSERT INTO production_records (record_key, machine, good_count, reject_count,"
            " recorded_at) VALUES ('k1', 'M1', 1, 0, ?)\", [system.date.now()], tx=%r)" % tx)
    gw.clock.advance(31)
    assert gw.eval("system.db.runScalarQuery('SELECT COUNT(*) FROM production_records')") == 0
    with pytest.raises(HarnessError, match="unknown, closed or expired"):
        gw.eval("system.db.commitTransaction(%r)" % tx)


def test_store_and_forward_is_reachable_as_run_sf_prep_update(gw):
    accepted = gw.eval("system.db.runSFPrepUpdate('INSERT INTO production_records (record_key, machine, good_count,"
                       " reject_count, recorded_at) VALUES (?, ?, ?, ?, ?)', ['k9', 'M2', 7, 1, system.date.now()],"
                       " ['genba'])")
    assert accepted is True
    assert gw.eval("system.db.runScalarQuery(\"SELECT good_count FROM production_records WHERE record_key = 'k9'\")") == 7


def test_system_dataset_functions_are_attached(gw):
    ds = gw.eval("system.dataset.addRow(system.dataset.toDataSet(['a', 'b'], [[1, 'x']]), [2, 'y'])")
    assert ds.getColumnAsList("b") == ["x", "y"]
    assert gw.eval("system.db.SERIALIZABLE") == 8


def test_functions_not_emulated_are_refused_by_name(gw):
    with pytest.raises(NotEmulated, match="system.db.execQuery"):
        gw.eval("system.db.execQuery")


def test_records_queued_while_the_database_is_down_are_forwarded_by_the_gateway_clock(gw):
    from harness.core.db import SwitchableConnector
    service = gw.system.db._service
    switch = SwitchableConnector(service.connector("genba"))
    service.set_connector("genba", switch)
    switch.available = False
    gw.execute("for i in range(3):\n"
               "    system.db.runSFPrepUpdate('INSERT INTO production_records (record_key, machine, good_count,"
               " reject_count, recorded_at) VALUES (?, ?, ?, ?, ?)', ['k%d' % i, 'M1', i, 0, system.date.now()],"
               " ['genba'])\n")
    assert service.store_forward.pending_count() == 3
    switch.available = True
    gw.clock.advance(6)
    assert service.store_forward.pending_count() == 0
    assert [r[0] for r in gw.eval("system.db.runQuery('SELECT record_key FROM production_records ORDER BY id')")] \
        == ["k0", "k1", "k2"]
