"""Jython connectors for `system.db`: zxJDBC over the SQLite (xerial) and PostgreSQL JDBC drivers.

Loaded by `harness.core.db` on Jython (on CPython importing it is harmless: `AVAILABLE` is False).
The JVM needs the driver jars on its classpath (`org.sqlite.JDBC`, `org.postgresql.Driver`).

What differs from the DB-API defaults, and why:
- TIMESTAMP/DATE columns are read as text and parsed (sqlite-jdbc misreads microseconds through
  getTimestamp; reading PostgreSQL's text form keeps the JVM time zone out of it);
- NUMERIC/DECIMAL columns are read as BigDecimal (zxJDBC would turn them into float, losing the
  integral SUM rule of `harness.core.db`);
- datetimes are bound to PostgreSQL as `java.time.LocalDateTime` (timestamp without time zone, no
  JVM time zone involved); SQLite gets the stored text form;
- SQLite connections run in JDBC auto-commit mode and explicit transactions are `BEGIN IMMEDIATE`
  / `COMMIT` / `ROLLBACK` statements, as on CPython.
"""
from __future__ import absolute_import, division, print_function

import datetime
import decimal
import threading

from harness.core import db as core_db
from harness.core.compat import JYTHON

__all__ = ["AVAILABLE", "ZxJdbcConnector", "jdbc_url"]

AVAILABLE = False
if JYTHON:  # pragma: no cover - Jython only
    try:
        from com.ziclix.python.sql import zxJDBC, DataHandler
        from java.time import LocalDateTime
        AVAILABLE = True
    except ImportError:
        AVAILABLE = False

_TIMESTAMP_TYPES = (91, 93)  # java.sql.Types DATE, TIMESTAMP
_DECIMAL_TYPES = (2, 3)      # NUMERIC, DECIMAL
_BOOLEAN_TYPES = (16, -7)    # BOOLEAN, BIT


def jdbc_url(url):
    """(jdbc url, user, password, driver class) for a `sqlite:///...` or `postgresql://...` URL."""
    scheme, _, rest = url.partition("://")
    scheme = scheme.split("+", 1)[0].lower()
    if scheme == "sqlite":
        path = rest[1:] if rest.startswith("/") else rest
        return "jdbc:sqlite:" + path, None, None, "org.sqlite.JDBC"
    if scheme in ("postgresql", "postgres"):
        user = password = None
        if "@" in rest:
            credentials, rest = rest.rsplit("@", 1)
            user, _, password = credentials.partition(":")
            password = password or None
        return "jdbc:postgresql://" + rest, user, password, "org.postgresql.Driver"
    raise core_db.UnknownDatabase("No JDBC driver for the database URL %r." % (url,))


if AVAILABLE:  # pragma: no cover - Jython only
    class _Handler(DataHandler):
        """Reads timestamps as text and decimals as BigDecimal; binds datetimes without a time zone."""

        def __init__(self, delegate, dialect):
            DataHandler.__init__(self)
            self.delegate = delegate
            self.dialect = dialect

        def getPyObject(self, result_set, column, sql_type):
            if sql_type in _TIMESTAMP_TYPES:
                text = result_set.getString(column)
                if text is None:
                    return None
                return core_db.parse_timestamp(text)
            if sql_type in _DECIMAL_TYPES:
                value = result_set.getBigDecimal(column)
                if value is None:
                    return None
                return decimal.Decimal(value.toPlainString())
            return self.delegate.getPyObject(result_set, column, sql_type)

        def setJDBCObject(self, statement, index, value, sql_type=None):
            if isinstance(value, datetime.datetime):
                statement.setObject(index, LocalDateTime.of(value.year, value.month, value.day, value.hour,
                                                            value.minute, value.second, value.microsecond * 1000))
                return
            if sql_type is None:
                self.delegate.setJDBCObject(statement, index, value)
            else:
                self.delegate.setJDBCObject(statement, index, value, sql_type)


class _JdbcSession(core_db.DbSession):
    paramstyle = "qmark"

    def __init__(self, connector, connection):
        core_db.DbSession.__init__(self, connection, dialect=connector.dialect, release=connector._release)
        self._explicit = False

    def column_converters(self, description, rows):
        """As on every host, and BOOLEAN/BIT columns (read as numbers by zxJDBC) -> bool."""
        converters = core_db.DbSession.column_converters(self, description, rows)
        for index, column in enumerate(description):
            if column[1] in _BOOLEAN_TYPES:
                converters[index] = _boolean
        return converters

    def rowcount(self, cursor):
        count = getattr(cursor, "updatecount", None)
        if count is not None and count >= 0:
            return count
        return cursor.rowcount

    def last_key(self, cursor):
        if self.dialect != "sqlite":
            return None
        other = self.connection.cursor()
        try:
            other.execute("SELECT last_insert_rowid()")
            return other.fetchone()[0]
        finally:
            other.close()

    def _start_pending(self):
        core_db.DbSession._start_pending(self)
        if self.dialect == "sqlite":
            self._explicit = True

    def _sqlite_end(self, verb):
        if self._explicit:
            self._explicit = False
            cursor = self.connection.cursor()
            try:
                cursor.execute(verb)
            finally:
                cursor.close()

    def commit(self):
        self._pending_begin = None
        if self.dialect == "sqlite":
            self._sqlite_end("COMMIT")
        else:
            self.connection.commit()

    def rollback(self):
        self._pending_begin = None
        if self.dialect == "sqlite":
            self._sqlite_end("ROLLBACK")
        else:
            self.connection.rollback()


def _boolean(value):
    if value is None or isinstance(value, bool):
        return value
    return bool(value)


class _CursorFactory(object):
    """Wraps a zxJDBC connection so every cursor gets the data handler."""

    def __init__(self, connection, dialect):
        self._connection = connection
        self._dialect = dialect

    def cursor(self):
        cursor = self._connection.cursor()
        if AVAILABLE:  # pragma: no cover - Jython only
            cursor.datahandler = _Handler(cursor.datahandler, self._dialect)
        return cursor

    def commit(self):
        self._connection.commit()

    def rollback(self):
        self._connection.rollback()

    def close(self):
        self._connection.close()


class ZxJdbcConnector(core_db.Connector):
    """A small pool of zxJDBC connections to one database."""

    SQLITE_PRAGMAS = ("PRAGMA foreign_keys=ON", "PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL",
                      "PRAGMA busy_timeout=10000")

    def __init__(self, url, max_idle=5):
        if not AVAILABLE:
            raise core_db.UnknownDatabase("zxJDBC is only available on Jython (database URL %r)." % (url,))
        self.url = url
        self.dialect = core_db.dialect_of_url(url)
        self.jdbc, self.user, self.password, self.driver = jdbc_url(url)
        self.max_idle = max_idle
        self._idle = []
        self._lock = threading.Lock()

    def _connect(self):  # pragma: no cover - Jython only
        raw = zxJDBC.connect(self.jdbc, self.user, self.password, self.driver)
        if self.dialect == "sqlite":
            raw.autocommit = 1
            cursor = raw.cursor()
            try:
                for pragma in self.SQLITE_PRAGMAS:
                    cursor.execute(pragma)
            finally:
                cursor.close()
        return _CursorFactory(raw, self.dialect)

    def open_session(self):
        while True:
            with self._lock:
                connection = self._idle.pop() if self._idle else None
            if connection is None:
                return _JdbcSession(self, self._connect())
            if self._usable(connection):
                return _JdbcSession(self, connection)
            try:
                connection.close()
            except Exception:  # pragma: no cover
                pass

    def _usable(self, connection):
        """A pooled PostgreSQL connection is checked (the server may have restarted since)."""
        if self.dialect != "postgresql":
            return True
        try:
            return bool(connection._connection.__connection__.isValid(2))
        except Exception:  # pragma: no cover - Jython only
            return False

    def _release(self, session, broken):
        connection = session.connection
        if not broken:
            with self._lock:
                if len(self._idle) < self.max_idle:
                    self._idle.append(connection)
                    return
        try:
            connection.close()
        except Exception:  # pragma: no cover
            pass

    def dispose(self):
        with self._lock:
            idle, self._idle = self._idle, []
        for connection in idle:
            try:
                connection.close()
            except Exception:  # pragma: no cover
                pass


def _handles(url):
    return AVAILABLE and url.split(":", 1)[0].split("+", 1)[0].lower() in ("sqlite", "postgresql", "postgres")


core_db.register_connector_factory(_handles, ZxJdbcConnector)
