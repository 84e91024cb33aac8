"""CPython connectors for `system.db`: pooled SQLAlchemy engines over sqlite3 and psycopg 3.

Importing this module registers the connectors with `harness.core.db` (the core loads it on first
use on CPython). Only the engine's pool is used; statements go through the raw DB-API connection
so the core's behaviour is identical on every host.

SQLite connections are opened with declared-type conversion for BOOLEAN and TIMESTAMP columns and
the pragmas `foreign_keys=ON`, `journal_mode=WAL`, `synchronous=FULL` and `busy_timeout=10000`.
PostgreSQL engines use `pool_pre_ping` so a restarted server is reconnected transparently; their
connections run in autocommit mode outside `system.db` transactions (a query is one round trip),
and a transaction is an explicit `BEGIN [ISOLATION LEVEL ...]` ended by COMMIT or ROLLBACK.
"""
from __future__ import annotations

import sqlite3
import threading
import time

import sqlalchemy
from sqlalchemy import event
from sqlalchemy.pool import StaticPool

from harness.core import db as core_db

__all__ = ["SQLAlchemyConnector", "sqlite_pragmas", "to_sqlalchemy_url"]

SQLITE_PRAGMAS = ("PRAGMA foreign_keys=ON", "PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL",
                  "PRAGMA busy_timeout=10000")


def sqlite_pragmas():
    """The pragmas every SQLite connection gets (the benchmark applies the same to its baseline)."""
    return SQLITE_PRAGMAS


def _convert_boolean(raw: bytes) -> bool:
    return raw not in (b"0", b"", b"false", b"FALSE")


def _convert_timestamp(raw: bytes):
    try:
        return core_db.parse_timestamp(raw.decode("utf-8"))
    except ValueError:
        return raw.decode("utf-8")


sqlite3.register_converter("BOOLEAN", _convert_boolean)
sqlite3.register_converter("TIMESTAMP", _convert_timestamp)


def to_sqlalchemy_url(url: str) -> str:
    """`postgresql://…` → `postgresql+psycopg://…`; SQLite URLs are kept."""
    scheme, _, rest = url.partition("://")
    if scheme in ("postgresql", "postgres"):
        return "postgresql+psycopg://" + rest
    return url


class _Session(core_db.DbSession):
    """Statements go to the DB-API connection itself (no pool proxy per call); the pool's
    record (`fairy`) is kept to give the connection back or invalidate it."""

    def __init__(self, connector, fairy):
        dialect = connector.dialect
        super().__init__(fairy.dbapi_connection, dialect=dialect,
                         paramstyle="format" if dialect == "postgresql" else "qmark",
                         release=connector._release)
        self.fairy = fairy
        if dialect == "postgresql":
            # a statement outside a transaction is one round trip (no BEGIN and COMMIT around it);
            # transactions are begun explicitly (`_start_pending`) and ended by commit/rollback
            self.connection.autocommit = True

    def _start_pending(self):
        if self.dialect != "postgresql":
            return super()._start_pending()
        isolation_level = self._pending_begin
        self._pending_begin = None
        cursor = self.connection.cursor()
        try:
            if isolation_level in core_db.ISOLATION_SQL:
                cursor.execute("BEGIN ISOLATION LEVEL " + core_db.ISOLATION_SQL[isolation_level])
            else:
                cursor.execute("BEGIN")
        finally:
            cursor.close()


class SQLAlchemyConnector(core_db.Connector):
    """A pooled engine for one database URL."""

    def __init__(self, url: str, pragmas=None, **engine_options):
        self.url = url
        self.pragmas = tuple(pragmas) if pragmas is not None else SQLITE_PRAGMAS
        self.dialect = core_db.dialect_of_url(url)
        sa_url = to_sqlalchemy_url(url)
        options = {}
        if self.dialect == "sqlite":
            options["connect_args"] = {"detect_types": sqlite3.PARSE_DECLTYPES, "check_same_thread": False}
            if ":memory:" in url or url.rstrip("/") == "sqlite:":
                options["poolclass"] = StaticPool
        else:
            options["pool_pre_ping"] = True
            options["pool_size"] = 5
            options["max_overflow"] = 10
        options.update(engine_options)
        self.engine = sqlalchemy.create_engine(sa_url, **options)
        self._keep = []
        self._lock = threading.Lock()
        if self.dialect == "sqlite":
            event.listen(self.engine, "connect", self._on_sqlite_connect)

    def _on_sqlite_connect(self, dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        try:
            for pragma in self.pragmas:
                cursor.execute(pragma)
        finally:
            cursor.close()

    #: Connections kept checked out between statements (a pool checkout costs more than a
    #: single-row insert, and on PostgreSQL its pre-ping is a round trip per statement).
    KEEP_SQLITE = 4
    KEEP_POSTGRES = 4
    #: A kept PostgreSQL connection idle longer than this (seconds) is pinged before use, so a
    #: restarted server is noticed as the pool's pre-ping would; one used more recently goes
    #: straight to work (a server lost in between fails that statement, and the broken
    #: connection is dropped).
    PING_AFTER_IDLE_S = 1.0

    def open_session(self):
        while self._keep:
            with self._lock:
                session = self._keep.pop() if self._keep else None
            if session is None:
                break
            if self.dialect != "postgresql" or time.monotonic() - session.released_at < self.PING_AFTER_IDLE_S \
                    or self._answers(session):
                return session
            self._close(session.fairy, broken=True)
        return _Session(self, self.engine.raw_connection())

    @staticmethod
    def _answers(session):
        try:
            cursor = session.connection.cursor()
            try:
                cursor.execute("SELECT 1")
            finally:
                cursor.close()
            return True
        except Exception:
            return False

    def _release(self, session, broken):
        if not broken and self._keepable(session):
            with self._lock:
                if len(self._keep) < (self.KEEP_SQLITE if self.dialect == "sqlite" else self.KEEP_POSTGRES):
                    session.in_transaction = False
                    session._pending_begin = None
                    session.released_at = time.monotonic()
                    self._keep.append(session)
                    return
        self._close(session.fairy, broken)

    def _keepable(self, session):
        if self.dialect == "sqlite":
            return True
        connection = session.connection  # only an idle PostgreSQL connection (no open transaction)
        return not connection.closed and connection.info.transaction_status == psycopg_idle()

    @staticmethod
    def _close(fairy, broken):
        if broken:
            try:
                fairy.invalidate()
            except Exception:  # pragma: no cover - already gone
                pass
        try:
            fairy.close()
        except Exception:  # pragma: no cover
            pass

    def dispose(self):
        with self._lock:
            kept, self._keep = self._keep, []
        for session in kept:
            try:
                session.fairy.close()
            except Exception:  # pragma: no cover
                pass
        self.engine.dispose()


def psycopg_idle():
    """psycopg's transaction status of a connection outside any transaction."""
    from psycopg.pq import TransactionStatus
    return TransactionStatus.IDLE


def _handles(url):
    scheme = url.split(":", 1)[0].split("+", 1)[0].lower()
    return scheme in ("sqlite", "postgresql", "postgres")


core_db.register_connector_factory(_handles, SQLAlchemyConnector)
