"""The append-only, hash-chained audit trail: who did what, to what, when and why.

Every row stores its sequence number, a UTC timestamp text (`YYYY-MM-DDTHH:MM:SS.mmmZ`), the
actor, the action, the subject, the details as canonical JSON, the reason, the hash of the previous
row and its own hash. A row's hash is SHA-256 over the canonical JSON (sorted keys, no spaces,
ASCII escapes) of all those fields, the previous hash included, so changing, inserting or deleting
any row breaks the chain from that row on. The `audit_chains` row holds the last sequence number and
hash: every writer updates it first, which serialises writers on PostgreSQL and lets `verify` see a
truncated tail. Rows are written in the caller's transaction so the record and its effect commit
or roll back together. Timestamps are text, not TIMESTAMP, so the hash never depends on a driver's
time-zone handling.
"""
from __future__ import absolute_import, division, print_function

import hashlib
import json

__all__ = ["AuditChainBroken", "GENESIS_HASH", "canonical", "history", "record", "row_hash",
           "verify"]

#: The "previous hash" of the first row.
GENESIS_HASH = "0" * 64

_FIELDS = ("seq", "recorded_at", "actor", "action", "subject", "details", "reason", "prev_hash")
_PAGE = 500  # the LIMIT of the page query in verify()


class AuditChainBroken(mes.errors.StateConflict):  # noqa: F821
    """Raised by `verify(..., raise_on_error=True)` when a row was changed, inserted or deleted."""
    code = "audit_chain_broken"


def _plain(value):
    """Turn a value json cannot encode (a date, a Java object) into text."""
    try:
        return mes.transaction.iso_from_millis(system.date.toMillis(value))  # noqa: F821
    except Exception:
        return mes.compat.text(value)  # noqa: F821


def canonical(value):
    """Canonical JSON text of `value`: sorted keys, no whitespace, ASCII only."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True,
                      default=_plain)


def row_hash(row):
    """The SHA-256 hex digest of a row's content (the `_FIELDS` of a dict)."""
    content = {}
    for field in _FIELDS:
        value = row.get(field)
        if field == "seq":
            value = int(value)
        elif value is not None:
            value = mes.compat.text(value)  # noqa: F821
        content[field] = value
    return hashlib.sha256(canonical(content).encode("ascii")).hexdigest()


def _check_text(name, value, required):
    if value is None:
        if required:
            raise mes.errors.InvalidInput("audit %s must be given, got None." % name)  # noqa: F821
        return None
    if not isinstance(value, mes.compat.string_types):  # noqa: F821
        raise mes.errors.InvalidInput("audit %s must be text, got %r." % (name, value))  # noqa: F821
    if required and not value.strip():
        raise mes.errors.InvalidInput("audit %s must not be blank, got %r." % (name, value))  # noqa: F821
    return mes.compat.text(value)  # noqa: F821


def record(actor, action, subject, details=None, reason=None, tx=None):
    """Append one audit row and return its sequence number (the audit id).

    Args:
        actor: the username (or system identity such as "erp") that acted.
        action: a dotted verb, e.g. "operation.start".
        subject: what was acted on, e.g. "WO-1001/20".
        details: a JSON-able dict of what changed (stored as canonical JSON).
        reason: the free-text why, stored verbatim.
        tx: the transaction of the action being recorded; None writes in a transaction of its own.
    """
    actor = _check_text("actor", actor, True)
    action = _check_text("action", action, True)
    subject = _check_text("subject", subject, True)
    reason = _check_text("reason", reason, False)
    details_text = canonical(details if details is not None else {})

    def work(tx):
        tm = mes.transaction  # noqa: F821
        if tm.update("UPDATE audit_chains SET last_seq = last_seq + 1 WHERE chain = ?",
                     ["main"], tx) != 1:
            raise mes.errors.ConfigurationError(  # noqa: F821
                "The audit_chains row %r is missing; run the database migrations." % "main")
        head = tm.one("SELECT last_seq, last_hash FROM audit_chains WHERE chain = ?", ["main"], tx)
        row = {"seq": int(head["last_seq"]), "recorded_at": tm.now_iso(), "actor": actor,
               "action": action, "subject": subject, "details": details_text, "reason": reason,
               "prev_hash": mes.compat.text(head["last_hash"])}  # noqa: F821
        digest = row_hash(row)
        tm.update("INSERT INTO audit_trail (seq, recorded_at, actor, action, subject, details, "
                  "reason, prev_hash, row_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                  [row["seq"], row["recorded_at"], actor, action, subject, details_text, reason,
                   row["prev_hash"], digest], tx)
        tm.update("UPDATE audit_chains SET last_hash = ? WHERE chain = ?", [digest, "main"], tx)
        return row["seq"]

    return mes.transaction.run(work, tx)  # noqa: F821


def _as_dict(row):
    result = dict(row)
    result["seq"] = int(row["seq"])
    try:
        result["details"] = json.loads(row["details"]) if row["details"] else {}
    except ValueError:
        pass
    return result


_HISTORY = {
    "both": "SELECT seq, recorded_at, actor, action, subject, details, reason FROM audit_trail "
            "WHERE subject = ? AND actor = ? ORDER BY seq",
    "subject": "SELECT seq, recorded_at, actor, action, subject, details, reason FROM audit_trail "
               "WHERE subject = ? ORDER BY seq",
    "actor": "SELECT seq, recorded_at, actor, action, subject, details, reason FROM audit_trail "
             "WHERE actor = ? ORDER BY seq",
    "all": "SELECT seq, recorded_at, actor, action, subject, details, reason FROM audit_trail "
           "ORDER BY seq",
}


def history(subject=None, actor=None, limit=200, tx=None):
    """Audit rows (oldest first) for a subject and/or actor, details decoded from JSON."""
    if subject is not None and actor is not None:
        sql, args = _HISTORY["both"], [subject, actor]
    elif subject is not None:
        sql, args = _HISTORY["subject"], [subject]
    elif actor is not None:
        sql, args = _HISTORY["actor"], [actor]
    else:
        sql, args = _HISTORY["all"], []

    def work(tx):
        found = mes.transaction.rows(sql, args, tx)  # noqa: F821
        return [_as_dict(row) for row in found[-int(limit):]]

    return mes.transaction.run(work, tx)  # noqa: F821


def _problem(seq, problem):
    return {"seq": seq, "problem": problem}


def verify(tx=None, raise_on_error=False):
    """Walk the whole chain; return None when intact, else the first broken row.

    The result names the row (`seq`) and the `problem`: "hash mismatch" (content changed),
    "broken link" (the previous-hash does not match), "missing row" (a gap in the sequence), or
    "head mismatch" (the last rows were deleted or the head was changed).
    """
    def work(tx):
        tm = mes.transaction  # noqa: F821
        expected_seq, prev = 1, GENESIS_HASH
        while True:
            page = tm.rows("SELECT seq, recorded_at, actor, action, subject, details, reason, "
                           "prev_hash, row_hash FROM audit_trail WHERE seq >= ? ORDER BY seq "
                           "LIMIT 500", [expected_seq], tx)
            for row in page:
                seq = int(row["seq"])
                if seq != expected_seq:
                    return _problem(expected_seq, "missing row")
                if mes.compat.text(row["prev_hash"]) != prev:  # noqa: F821
                    return _problem(seq, "broken link")
                digest = row_hash(row)
                if digest != mes.compat.text(row["row_hash"]):  # noqa: F821
                    return _problem(seq, "hash mismatch")
                prev, expected_seq = digest, seq + 1
            if len(page) < _PAGE:
                break
        head = tm.one("SELECT last_seq, last_hash FROM audit_chains WHERE chain = ?", ["main"], tx)
        if head is None or int(head["last_seq"]) != expected_seq - 1 or \
                mes.compat.text(head["last_hash"]) != prev:  # noqa: F821
            return _problem(expected_seq if head is None else int(head["last_seq"]),
                            "head mismatch")
        return None

    broken = mes.transaction.run(work, tx)  # noqa: F821
    if broken is not None and raise_on_error:
        raise AuditChainBroken("The audit trail is broken at row %r (%s)."
                               % (broken["seq"], broken["problem"]), **broken)
    return broken
