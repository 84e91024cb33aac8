"""Store-and-forward for writes that matter: a durable local journal drained in order into the database.

Python 2.7/3 common subset. `system.db.runSFPrepUpdate(query, args, datasources)` hands each write
to `StoreAndForward.submit`, which

1. appends the record `{"op": "put", "key", "db", "sql", "args", "queued_at"}` as one JSON line to
   the journal and fsyncs it (so an accepted write survives a crash of the gateway);
2. drains the journal: every pending record, oldest first, runs in one transaction together with
   `INSERT INTO sf_applied (record_key, ...)`; after the commit a `{"op": "done", "key"}` line is
   appended. A record whose key is already in `sf_applied` (the gateway died between the commit
   and the done line) is only marked done, so a drain interrupted at any point never writes a
   record twice.

When the database cannot be reached the record stays queued and the drain stops for that
datasource (records for other datasources go on); the next `submit` or `drain()` after
`retry_ms` of clock time tries again, and so does the optional `scheduler` (the gateway clock)
`retry_ms` after a drain that left records waiting. A record that fails while the database answers `SELECT 1`
is retried once and then quarantined (`{"op": "bad", "key", "error"}` in the journal and one JSON
line in `<journal>.quarantine`) so a bad statement cannot block the queue. When nothing is pending
the journal is truncated. Arguments must be None, bool, int, float, text or datetimes.
"""
from __future__ import absolute_import, division, print_function

import datetime
import io
import json
import os
import threading
import uuid

from harness.core.db import DatabaseError, format_timestamp, parse_timestamp

__all__ = ["StoreAndForward", "StoreForwardError"]

from harness.core.compat import integer_types, string_types, text_type


class StoreForwardError(DatabaseError):
    """A record cannot be queued (unsupported argument type, unwritable journal)."""
    code = "store_forward_error"


def _encode_arg(value):
    if value is None or isinstance(value, (bool, float) + integer_types + string_types):
        return value
    if isinstance(value, datetime.datetime) or hasattr(value, "getTime"):
        return {"$ts": format_timestamp(value)}
    raise StoreForwardError("Store-and-forward cannot queue the argument %r; use None, numbers, text or datetimes." % (value,))


def _decode_arg(value):
    if isinstance(value, dict) and "$ts" in value:
        return parse_timestamp(value["$ts"])
    return value


class StoreAndForward(object):
    """The durable queue in front of `service` (a DbService); one journal file per gateway."""

    def __init__(self, service, journal_path, retry_ms=5000, fsync=True, scheduler=None):
        self.service = service
        self.scheduler = scheduler  # scheduler(seconds, callback): retries while records wait
        self._retry_handle = None
        self.journal_path = journal_path
        self.quarantine_path = journal_path + ".quarantine"
        self.retry_ms = retry_ms
        self.fsync = fsync
        self._lock = threading.RLock()
        self._pending = []  # records in journal order
        self._next_try = {}  # datasource -> clock millis before which we do not retry
        self.forwarded = 0
        self.quarantined = 0
        folder = os.path.dirname(os.path.abspath(journal_path))
        if not os.path.isdir(folder):
            os.makedirs(folder)
        self._load()

    # -- journal -----------------------------------------------------------------------------
    def _load(self):
        records = {}
        order = []
        if os.path.exists(self.journal_path):
            with io.open(self.journal_path, "rb") as handle:
                data = handle.read()
            good_length = 0
            for line in data.split(b"\n"):
                if not line.strip():
                    good_length += len(line) + 1
                    continue
                try:
                    entry = json.loads(line.decode("utf-8"))
                except ValueError:
                    break  # a torn last line from a crash while appending: drop it
                good_length += len(line) + 1
                if entry.get("op") == "put":
                    records[entry["key"]] = entry
                    order.append(entry["key"])
                elif entry.get("key") in records:
                    del records[entry["key"]]
            if good_length < len(data):
                with io.open(self.journal_path, "r+b") as handle:
                    handle.truncate(min(good_length, len(data)))
        self._pending = [records[k] for k in order if k in records]
        if not self._pending:
            self._truncate()

    def _append(self, entry):
        line = (json.dumps(entry, sort_keys=True) + "\n").encode("utf-8")
        try:
            with io.open(self.journal_path, "ab") as handle:
                handle.write(line)
                handle.flush()
                if self.fsync:
                    try:
                        os.fsync(handle.fileno())
                    except (AttributeError, OSError, TypeError):  # pragma: no cover - hosts without fsync
                        pass
        except (IOError, OSError) as exc:
            raise StoreForwardError("Cannot write the store-and-forward journal %r: %s" % (self.journal_path, exc),
                                    cause=exc)

    def _truncate(self):
        with io.open(self.journal_path, "wb"):
            pass

    # -- API ---------------------------------------------------------------------------------
    def submit(self, query, args, database="", key=None):
        """Queue one write durably and try to forward the queue. Returns the record key."""
        if not isinstance(query, string_types):
            raise StoreForwardError("Store-and-forward needs SQL text, got %r." % (query,))
        entry = {"op": "put", "key": key or uuid.uuid4().hex, "db": database or self.service.default_database,
                 "sql": query, "args": [_encode_arg(a) for a in (args or [])],
                 "queued_at": format_timestamp(self.service.now())}
        with self._lock:
            self._append(entry)
            self._pending.append(entry)
            self.drain(force=False)
        return entry["key"]

    def pending(self):
        """Records not yet forwarded, oldest first (as dicts: key, db, sql, args, queued_at)."""
        with self._lock:
            return [dict(r, args=[_decode_arg(a) for a in r["args"]]) for r in self._pending]

    def pending_count(self):
        return len(self._pending)

    def drain(self, force=True):
        """Forward pending records in order; returns how many were forwarded now.

        With `force` False a datasource that failed less than `retry_ms` ago is not tried.
        """
        with self._lock:
            if not self._pending:
                return 0
            now = self.service._millis()
            down = set()
            if not force:
                for db, not_before in self._next_try.items():
                    if now < not_before:
                        down.add(db)
            done = 0
            remaining = []
            for record in self._pending:
                if record["db"] in down:
                    remaining.append(record)
                    continue
                outcome = self._forward(record)
                if outcome == "down":
                    down.add(record["db"])
                    self._next_try[record["db"]] = now + self.retry_ms
                    remaining.append(record)
                elif outcome == "done":
                    self._next_try.pop(record["db"], None)
                    done += 1
            self._pending = remaining
            self.forwarded += done
            if not remaining:
                self._truncate()
            elif self.scheduler is not None and self._retry_handle is None:
                self._retry_handle = self.scheduler(self.retry_ms / 1000.0, self._retry)
            return done

    def _retry(self):
        self._retry_handle = None
        try:
            self.drain(force=True)
        except DatabaseError:  # pragma: no cover - drain itself reports failures as "down"
            pass

    def close(self):
        """Stop scheduled retries (the journal keeps what is pending)."""
        handle, self._retry_handle = self._retry_handle, None
        if handle is not None and hasattr(handle, "cancel"):
            handle.cancel()

    def _forward(self, record, second_try=False):
        service = self.service
        database = record["db"]
        try:
            tx = service.beginTransaction(database, timeout=-1)
        except DatabaseError:
            return "down"
        try:
            seen = service.runScalarPrepQuery("SELECT 1 FROM sf_applied WHERE record_key = ?", [record["key"]], tx=tx)
            if seen is None:
                service.runPrepUpdate(record["sql"], [_decode_arg(a) for a in record["args"]], tx=tx)
                service.runPrepUpdate("INSERT INTO sf_applied (record_key, datasource, queued_at, applied_at) "
                                      "VALUES (?, ?, ?, ?)",
                                      [record["key"], database, parse_timestamp(record["queued_at"]), service.now()],
                                      tx=tx)
                service.commitTransaction(tx)
        except DatabaseError as exc:
            self._close(tx)
            if not service.ping(database):
                return "down"
            if not second_try:
                return self._forward(record, second_try=True)
            self._quarantine(record, exc)
            return "bad"
        self._close(tx)
        self._append({"op": "done", "key": record["key"]})
        return "done"

    def _close(self, tx):
        try:
            self.service.closeTransaction(tx)
        except DatabaseError:
            pass

    def _quarantine(self, record, exc):
        entry = dict(record, error=exc.driver_message or exc.message)
        entry["op"] = "bad"
        line = (json.dumps(entry, sort_keys=True) + "\n").encode("utf-8")
        with io.open(self.quarantine_path, "ab") as handle:
            handle.write(line)
        self._append({"op": "bad", "key": record["key"], "error": entry["error"]})
        self.quarantined += 1
