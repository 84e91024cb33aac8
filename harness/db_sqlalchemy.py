"""CPython connectors for `system.db`: pooled SQLAlchemy engines over sqlite3 and psycopg 3.

Importing this module registers the connectors with `harness.core.db` (the core loads it on first
use on CPython). Only the engine's pool is used; statements go through the raw DB-API connection
so the core's behaviour is identical on every host.

SQLite connections are opened with declared-type conversion for BOOLEAN and TIMESTAMP columns and
the pragmas `foreign_keys=ON`, `journal_mode=WAL`, `synchronous=FULL` and `busy_timeout=10000`.
PostgreSQL engines use `pool_pre_ping` so a restarted server is reconnected transparently.
"""
from __future__ import annotations

import sqlite3
import threading

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

    #: SQLite connections kept checked out between statements (a pool checkout costs more than a
    #: single-row insert); PostgreSQL always goes through the pool so pre-ping can catch a restart.
    KEEP_SQLITE = 4

    def open_session(self):
        if self._keep:
            with self._lock:
                session = self._keep.pop() if self._keep else None
            if session is not None:
                return session
        return _Session(self, self.engine.raw_connection())

    def _release(self, session, broken):
        fairy = session.fairy
        if not broken and self.dialect == "sqlite":
            with self._lock:
                if len(self._keep) < self.KEEP_SQLITE:
                    session.in_transaction = False
                    session._pending_begin = None
                    self._keep.append(session)
                    return
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


def _handles(url):
    scheme = url.split(":", 1)[0].split("+", 1)[0].lower()
    return scheme in ("sqlite", "postgresql", "postgres")


core_db.register_connector_factory(_handles, SQLAlchemyConnector)
