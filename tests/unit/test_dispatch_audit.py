"""mes.audit: the hash-chained, append-only audit trail."""
import hashlib
import json
import sqlite3

import pytest

from dispatch_host import Host


@pytest.fixture
def host(tmp_path):
    host = Host(str(tmp_path / "genba.db"))
    yield host
    host.close()


def test_record_returns_consecutive_ids_starting_at_one(host):
    assert host.mes.audit.record("ana", "wo.release", "WO-1", {"qty": 5}) == 1
    assert host.mes.audit.record("ana", "wo.hold", "WO-1", None, "ring gauge broken") == 2


def test_a_row_holds_who_when_what_and_why_verbatim(host):
    reason = "Robert'); DROP TABLE audit_trail;--"
    host.advance(90.5)
    host.mes.audit.record("ana", "wo.hold", "WO-1", {"b": 1, "a": [1, 2]}, reason)
    assert host.table("SELECT seq, recorded_at, actor, action, subject, details, reason "
                      "FROM audit_trail") == [
        (1, "2026-01-05T06:01:30.500Z", "ana", "wo.hold", "WO-1", '{"a":[1,2],"b":1}', reason)]


def test_the_row_hash_is_sha256_of_the_canonical_json_including_the_previous_hash(host):
    host.mes.audit.record("ana", "wo.release", "WO-1", {"qty": 5})
    (row_hash,), = host.table("SELECT row_hash FROM audit_trail")
    content = {"seq": 1, "recorded_at": "2026-01-05T06:00:00.000Z", "actor": "ana",
               "action": "wo.release", "subject": "WO-1", "details": '{"qty":5}',
               "reason": None, "prev_hash": "0" * 64}
    expected = hashlib.sha256(json.dumps(content, sort_keys=True, separators=(",", ":"))
                              .encode("ascii")).hexdigest()
    assert row_hash == expected


def test_each_row_links_to_the_hash_of_the_row_before(host):
    for n in range(3):
        host.mes.audit.record("ana", "x", "s%d" % n)
    rows = host.table("SELECT prev_hash, row_hash FROM audit_trail ORDER BY seq")
    assert [r[0] for r in rows[1:]] == [r[1] for r in rows[:-1]]


def test_an_intact_chain_verifies(host):
    for n in range(7):
        host.mes.audit.record("ana", "x", "s%d" % n, {"n": n})
    assert host.mes.audit.verify() is None


def test_an_empty_chain_verifies(host):
    assert host.mes.audit.verify() is None


def _tamper(host, sql):
    connection = sqlite3.connect(host.path)
    connection.execute(sql)
    connection.commit()
    connection.close()


@pytest.mark.parametrize("sql, expected", [
    ("UPDATE audit_trail SET reason = 'nothing happened' WHERE seq = 3",
     {"seq": 3, "problem": "hash mismatch"}),
    ("UPDATE audit_trail SET recorded_at = '2026-01-05T05:00:00.000Z' WHERE seq = 2",
     {"seq": 2, "problem": "hash mismatch"}),
    ("DELETE FROM audit_trail WHERE seq = 2", {"seq": 2, "problem": "missing row"}),
    ("DELETE FROM audit_trail WHERE seq = 5", {"seq": 5, "problem": "head mismatch"}),
    ("UPDATE audit_trail SET prev_hash = row_hash WHERE seq = 4",
     {"seq": 4, "problem": "broken link"}),
])
def test_a_changed_or_deleted_row_is_named_by_verify(host, sql, expected):
    for n in range(5):
        host.mes.audit.record("ana", "x", "s%d" % n)
    _tamper(host, sql)
    assert host.mes.audit.verify() == expected


def test_a_recomputed_row_still_breaks_the_link_to_the_next_row(host):
    for n in range(3):
        host.mes.audit.record("ana", "x", "s%d" % n)
    audit = host.mes.audit
    row = dict(zip(("seq", "recorded_at", "actor", "action", "subject", "details", "reason",
                    "prev_hash"), host.table("SELECT seq, recorded_at, actor, action, subject, "
                                             "details, reason, prev_hash FROM audit_trail "
                                             "WHERE seq = 2")[0]))
    row["actor"] = "mallory"
    _tamper(host, "UPDATE audit_trail SET actor = 'mallory', row_hash = '%s' WHERE seq = 2"
            % audit.row_hash(row))
    assert audit.verify() == {"seq": 3, "problem": "broken link"}


def test_verify_can_raise_naming_the_row(host):
    host.mes.audit.record("ana", "x", "s")
    _tamper(host, "UPDATE audit_trail SET actor = 'bob'")
    with pytest.raises(host.mes.audit.AuditChainBroken, match=r"row 1 \(hash mismatch\)"):
        host.mes.audit.verify(raise_on_error=True)


def test_a_record_inside_a_rolled_back_transaction_leaves_no_trace(host):
    before = host.snapshot()

    def work(tx):
        host.mes.audit.record("ana", "x", "s", tx=tx)
        raise ValueError("the action failed")

    with pytest.raises(ValueError):
        host.mes.transaction.run(work)
    assert host.snapshot() == before


@pytest.mark.parametrize("actor, action, subject", [
    (None, "x", "s"), ("", "x", "s"), ("ana", "  ", "s"), ("ana", "x", 5)])
def test_a_record_without_actor_action_or_subject_is_refused(host, actor, action, subject):
    with pytest.raises(host.mes.errors.InvalidInput):
        host.mes.audit.record(actor, action, subject)
    assert host.table("SELECT COUNT(*) FROM audit_trail") == [(0,)]


def test_history_lists_a_subjects_rows_oldest_first_with_details_decoded(host):
    host.mes.audit.record("ana", "wo.release", "WO-1", {"qty": 5})
    host.mes.audit.record("bob", "wo.release", "WO-2", {"qty": 7})
    host.mes.audit.record("bob", "wo.hold", "WO-1", {}, "why")
    found = host.mes.audit.history(subject="WO-1")
    assert [(r["seq"], r["actor"], r["action"], r["details"], r["reason"]) for r in found] == [
        (1, "ana", "wo.release", {"qty": 5}, None), (3, "bob", "wo.hold", {}, "why")]
