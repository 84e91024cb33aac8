"""`genba audit verify`: exit 0 on an intact trail, 1 naming the tampered row."""
import json
import sqlite3

import pytest

from dispatch_host import Host
from harness.cli import main


@pytest.fixture
def trail(tmp_path):
    path = str(tmp_path / "genba.db")
    host = Host(path)
    for n in range(4):
        host.mes.audit.record("ana", "operation.start", "wo/WO-1/%d" % (10 * (n + 1)))
    host.close()
    return path


def _tamper(path, sql):
    connection = sqlite3.connect(path)
    connection.execute(sql)
    connection.commit()
    connection.close()


def test_an_intact_trail_exits_0(trail, capsys):
    assert main(["audit", "verify", "--db", "sqlite:///" + trail]) == 0
    assert capsys.readouterr().out == "audit trail intact: 4 rows\n"


def test_a_changed_row_exits_1_and_names_the_row(trail, capsys):
    _tamper(trail, "UPDATE audit_trail SET actor = 'mallory' WHERE seq = 3")
    assert main(["audit", "verify", "--db", "sqlite:///" + trail]) == 1
    assert capsys.readouterr().out == "audit trail BROKEN at row 3: hash mismatch (4 rows)\n"


def test_a_deleted_row_is_reported_as_json(trail, capsys):
    _tamper(trail, "DELETE FROM audit_trail WHERE seq = 2")
    assert main(["audit", "verify", "--db", "sqlite:///" + trail, "--json"]) == 1
    assert json.loads(capsys.readouterr().out) == {
        "database": "sqlite:///" + trail, "rows": 3, "intact": False,
        "broken": {"seq": 2, "problem": "missing row"}}


def test_a_database_without_an_audit_trail_is_an_error(tmp_path, capsys):
    assert main(["audit", "verify", "--db", "sqlite:///%s" % (tmp_path / "empty.db")]) == 1
    assert "cannot read the audit trail" in capsys.readouterr().err


def test_the_command_without_a_verb_is_a_usage_error(capsys):
    assert main(["audit"]) == 2
