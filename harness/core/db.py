"""`system.db`: queries, updates, transactions and named queries over DB-API connections.

Python 2.7/3 common subset (runs on Jython). The service talks to databases through *connectors*
(one per configured database name); a connector hands out `DbSession` objects that wrap one
DB-API connection. Connectors for each host are registered in `CONNECTOR_FACTORIES`:
CPython uses SQLAlchemy engines (`harness.db_sqlalchemy`, loaded on first use), Jython uses
zxJDBC (`harness.core.db_zxjdbc`). Tests may register an in-memory or switchable connector.

Values come back the same on every host and engine (see project/db/README.md): NULL -> None,
booleans -> bool, integers -> int/long, DOUBLE/DECIMAL/NUMERIC -> float (except an integral NUMERIC
without scale, which is what PostgreSQL returns for SUM of integers: int, as SQLite), TIMESTAMP -> naive UTC
`datetime.datetime`, text -> unicode (Jython) / str (CPython).

Every driver error is raised as `DatabaseError`, which carries the SQL, the arguments and the
driver's message and keeps the original exception as `cause` (and `__cause__`).

Transactions: `beginTransaction(database, isolationLevel, timeout)` returns an id. `timeout` is
the idle time in milliseconds (default `DEFAULT_TX_TIMEOUT_MS`) measured on the service's clock
(the harness clock, virtual or real); it restarts on every use of the transaction. A transaction
idle for longer is rolled back, its connection released and its id becomes unknown; the check
runs on every `system.db` call and on `expire_transactions()`.
"""
from __future__ import absolute_import, division, print_function

import datetime
import decimal
import io
import json
import os
import sys
import threading
import time as _time
import uuid

from harness.core.dataset import BasicDataset, PyDataSet
from harness.core.sqltext import named_to_qmark, qmark_to_format

__all__ = ["CONNECTOR_FACTORIES", "DEFAULT_TX_TIMEOUT_MS", "DatabaseError", "DatabaseUnavailable", "DbService", "DbSession",
           "SwitchableConnector",
           "TransactionError", "UnknownDatabase", "connector_for_url", "normalize_value",
           "register_connector_factory"]

from harness.core.compat import JavaThrowable, integer_types, string_types, text_type

IS_JYTHON = sys.platform.startswith("java")

from harness.core.errors import HarnessError as _ErrorRoot

DEFAULT_TX_TIMEOUT_MS = 60000
_EPOCH = datetime.datetime(1970, 1, 1)


class DatabaseError(_ErrorRoot):
    """A statement failed: carries `sql`, `args`, `database`, the driver's `driver_message` and `cause`."""

    code = "database_error"

    def __init__(self, message, sql=None, args=None, database=None, driver_message=None, cause=None):
        _ErrorRoot.__init__(self, message)
        self.message = message
        self.sql = sql
        self.args_ = list(args) if args is not None else None
        self.database = database
        self.driver_message = driver_message
        self.cause = cause
        self.__cause__ = cause

    @property
    def arguments(self):
        """The arguments bound to the failing statement."""
        return self.args_

    def __str__(self):
        return self.message


class TransactionError(DatabaseError):
    """A transaction id is unknown, closed or expired."""
    code = "transaction_error"


class UnknownDatabase(DatabaseError):
    """No database connection is configured under the given name."""
    code = "unknown_database"


# -- values -----------------------------------------------------------------------------------------

def _is_canonical_timestamp(value):
    return (len(value) == 26 and value[4] == "-" and value[7] == "-" and value[10] == " "
            and value[13] == ":" and value[16] == ":" and value[19] == "."
            and value[:4].isdigit() and value[20:].isdigit())


def format_timestamp(value):
    """The text form timestamps are stored in on SQLite: `YYYY-MM-DD HH:MM:SS.ffffff` (UTC)."""
    value = to_naive_utc(value)
    return "%04d-%02d-%02d %02d:%02d:%02d.%06d" % (value.year, value.month, value.day, value.hour,
                                                    value.minute, value.second, value.microsecond)


def parse_timestamp(value):
    """Read a stored timestamp text (`YYYY-MM-DD HH:MM:SS[.ffffff]`, `T` and `Z` tolerated)."""
    if len(value) == 26 and _is_canonical_timestamp(value) and value[11:13].isdigit() \
            and value[14:16].isdigit() and value[17:19].isdigit() and value[5:7].isdigit() and value[8:10].isdigit():
        try:  # the stored form, read without strptime
            return datetime.datetime(int(value[:4]), int(value[5:7]), int(value[8:10]), int(value[11:13]),
                                     int(value[14:16]), int(value[17:19]), int(value[20:]))
        except ValueError:
            pass
    text = value.strip().replace("T", " ")
    if text.endswith("Z"):
        text = text[:-1]
    if "+" in text[10:]:
        text = text[:10] + text[10:].split("+")[0]
    for fmt in ("%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(text, fmt)
        except ValueError:
            pass
    raise ValueError("not a timestamp: %r" % (value,))


def to_naive_utc(value):
    """A datetime (aware -> converted to UTC) or a Date-like object with getTime() -> naive UTC datetime."""
    if isinstance(value, datetime.datetime):
        offset = value.utcoffset()
        if offset is not None:
            value = value.replace(tzinfo=None) - offset
        return value
    millis = value.getTime()
    return _EPOCH + datetime.timedelta(milliseconds=int(millis))


def normalize_value(value, dialect=None):
    """Turn a driver value into the host-independent form scripts see."""
    if value is None or isinstance(value, (bool, float)):
        return value
    if isinstance(value, integer_types):
        return value
    if isinstance(value, string_types):
        if dialect == "sqlite" and len(value) == 26 and _is_canonical_timestamp(value):
            return parse_timestamp(value)
        if not isinstance(value, text_type):
            return value.decode("utf-8")
        return value
    if isinstance(value, decimal.Decimal):
        return _decimal(value)
    if isinstance(value, datetime.datetime):
        return to_naive_utc(value)
    if isinstance(value, datetime.date):
        return datetime.datetime(value.year, value.month, value.day)
    if IS_JYTHON:  # pragma: no cover - Java values that escaped zxJDBC's conversion
        return _normalize_java(value)
    return value


def _column_converter(value, dialect):
    """The converter for a column whose first non-NULL value is `value`, or None to keep the values.

    Engines type their columns, so one value decides for the column: text that is a stored
    timestamp (SQLite, where an expression over a TIMESTAMP column loses its declared type),
    NUMERIC/DECIMAL, aware datetimes, dates and anything unusual are converted; None, booleans,
    numbers, other text and naive datetimes are already in their host-independent form."""
    kind = type(value)
    if kind in _PLAIN_TYPES:
        return None
    if isinstance(value, string_types):
        if isinstance(value, text_type) and not (dialect == "sqlite" and len(value) == 26
                                                 and _is_canonical_timestamp(value)):
            return None
        return _normalize_sqlite if dialect == "sqlite" else normalize_value
    if isinstance(value, datetime.datetime):
        return None if value.tzinfo is None else _naive_utc_or_none
    if isinstance(value, decimal.Decimal):
        return _decimal_or_none
    return _normalize_sqlite if dialect == "sqlite" else normalize_value


_PLAIN_TYPES = frozenset((bool, float) + integer_types)
_STORED_TIMESTAMP_LENGTH = 26  # YYYY-MM-DD HH:MM:SS.ffffff
_STORED_AS_GIVEN = frozenset((type(None), bool, float, text_type) + integer_types)  # adapt_param keeps these
_TEXT_ONLY = frozenset((text_type,))


def _naive_utc_or_none(value):
    if value is None:
        return None
    return to_naive_utc(value)


def _decimal_or_none(value):
    if value is None:
        return None
    return _decimal(value)


def _normalize_sqlite(value):
    return normalize_value(value, "sqlite")


def _decimal(value):
    """NUMERIC -> float; an integral NUMERIC without scale (PostgreSQL's SUM of integers) -> int."""
    if value.is_finite() and value.as_tuple()[2] >= 0:
        return int(value)
    return float(value)


def _normalize_java(value):  # pragma: no cover - Jython only
    name = value.__class__.__name__
    if name in ("Timestamp",):
        base = _EPOCH + datetime.timedelta(milliseconds=int(value.getTime()) // 1000 * 1000)
        return base + datetime.timedelta(microseconds=value.getNanos() // 1000)
    if hasattr(value, "getTime"):
        return to_naive_utc(value)
    if name == "BigDecimal":
        return _decimal(decimal.Decimal(value.toString()))
    if name == "Boolean":
        return bool(value.booleanValue())
    return value


def adapt_param(value, dialect):
    """Turn a script value into what the engine stores (see project/db/README.md)."""
    if value is None or isinstance(value, (bool, float) + integer_types + string_types):
        return value
    if isinstance(value, datetime.datetime) or (hasattr(value, "getTime") and not isinstance(value, datetime.date)):
        if dialect == "sqlite":
            return format_timestamp(value)
        return to_naive_utc(value)
    if isinstance(value, datetime.date):
        value = datetime.datetime(value.year, value.month, value.day)
        return format_timestamp(value) if dialect == "sqlite" else value
    if isinstance(value, decimal.Decimal):
        return float(value)
    return value


# -- sessions and connectors -------------------------------------------------------------------------

_SCANNED = {}
_SCANNED_MAX = 1024


def _scan(sql):
    """(number of ? placeholders, the SQL in %s style), remembered for the most used statements."""
    found = _SCANNED.get(sql)
    if found is None:
        converted, count = qmark_to_format(sql)
        found = (count, converted)
        if len(_SCANNED) >= _SCANNED_MAX:
            _SCANNED.clear()
        _SCANNED[sql] = found
    return found


class DbSession(object):
    """One DB-API connection with the few operations the service needs.

    Subclasses adjust what differs per driver; `dialect` is "sqlite" or "postgresql",
    `paramstyle` is the driver's ("qmark" or "format").
    """

    dialect = "sqlite"
    paramstyle = "qmark"

    def __init__(self, connection, dialect=None, paramstyle=None, release=None):
        self.connection = connection
        if dialect:
            self.dialect = dialect
        if paramstyle:
            self.paramstyle = paramstyle
        self._release = release
        self.in_transaction = False

    def translate(self, sql):
        if self.paramstyle == "format":
            return _scan(sql)[1]
        return sql

    def execute(self, sql, params, get_key=False):
        """Run one statement. Returns (column_names or None, rows or None, rowcount, key)."""
        if params and not set(map(type, params)) <= _STORED_AS_GIVEN:
            params = [adapt_param(p, self.dialect) for p in params]
        want_returning = get_key and self.dialect == "postgresql"
        if want_returning:
            sql = sql.rstrip().rstrip(";") + "\nRETURNING id"  # a new line: the SQL may end in a -- comment
        if self._pending_begin is not None:
            self._start_pending()
        cursor = self.connection.cursor()
        try:
            cursor.execute(self.translate(sql), params)
            key = None
            names = None
            rows = None
            description = cursor.description
            if description is not None:
                names = [d[0] for d in description]
                if not set(map(type, names)) <= _TEXT_ONLY:
                    names = [self._column_name(name) for name in names]
                rows = self.convert_rows(description, cursor.fetchall())
            rowcount = self.rowcount(cursor)
            if want_returning:
                key = rows[0][0] if rows else None
                names = rows = None
            elif get_key:
                key = self.last_key(cursor)
            return names, rows, rowcount, key
        finally:
            try:
                cursor.close()
            except Exception:  # pragma: no cover - closing a broken cursor
                pass

    @staticmethod
    def _column_name(name):
        if isinstance(name, bytes) and not isinstance(name, text_type):
            return name.decode("utf-8")
        return text_type(name)

    def convert_rows(self, description, rows):
        """The rows with their values in the host-independent form (`normalize_value`), converted
        column by column with the converters of `column_converters`; rows needing nothing are
        returned as the driver gave them."""
        if not rows:
            return rows
        converters = self.column_converters(description, rows)
        if not any(converters):
            return rows
        columns = list(zip(*rows))
        for index, convert in enumerate(converters):
            if convert is not None:
                columns[index] = [convert(value) for value in columns[index]]
        return list(zip(*columns))

    def column_converters(self, description, rows):
        """One converter per column, or None where the values stay as they are; decided once per
        query from each column's first non-NULL value (`_column_converter`)."""
        dialect = self.dialect
        converters = [None] * len(description)
        undecided = range(len(description))
        plain = _PLAIN_TYPES
        timestamps_as_text = dialect == "sqlite"
        for row in rows:
            waiting = []
            for index in undecided:
                value = row[index]
                if value is None:
                    waiting.append(index)
                elif type(value) in plain or (type(value) is text_type and not (
                        timestamps_as_text and len(value) == _STORED_TIMESTAMP_LENGTH)):
                    continue  # nothing to convert (the common cases, decided here without a call)
                else:
                    converters[index] = _column_converter(value, dialect)
            if not waiting:
                break
            undecided = waiting
        return converters

    def last_key(self, cursor):
        return getattr(cursor, "lastrowid", None)

    def rowcount(self, cursor):
        return cursor.rowcount

    _pending_begin = None

    def begin(self, isolation_level=None):
        """Start an explicit transaction; the engine sees it with the next statement."""
        self.in_transaction = True
        self._pending_begin = isolation_level or 0

    def _start_pending(self):
        isolation_level = self._pending_begin
        self._pending_begin = None
        cursor = self.connection.cursor()
        try:
            if self.dialect == "sqlite":
                cursor.execute("BEGIN IMMEDIATE")
            elif isolation_level in ISOLATION_SQL:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL " + ISOLATION_SQL[isolation_level])
        finally:
            cursor.close()

    def commit(self):
        self._pending_begin = None
        self.connection.commit()

    def rollback(self):
        self._pending_begin = None
        self.connection.rollback()

    def release(self, broken=False):
        """Give the connection back to its pool (or close it when broken)."""
        self.in_transaction = False
        if self._release is not None:
            self._release(self, broken)
        else:
            try:
                self.connection.close()
            except Exception:  # pragma: no cover
                pass


ISOLATION_SQL = {1: "READ UNCOMMITTED", 2: "READ COMMITTED", 4: "REPEATABLE READ", 8: "SERIALIZABLE"}


class Connector(object):
    """Opens sessions to one database. Subclasses implement `open_session()`."""

    dialect = "sqlite"
    url = None

    def open_session(self):
        raise NotImplementedError

    def dispose(self):
        """Close pooled connections."""


class DatabaseUnavailable(Exception):
    """Raised by `SwitchableConnector` while switched off (what a refused connection looks like)."""


class _SwitchableSession(object):
    def __init__(self, owner, inner):
        self._owner = owner
        self._inner = inner
        self.dialect = inner.dialect

    def _check(self):
        if not self._owner.available:
            raise DatabaseUnavailable("connection refused: database %r is switched off" % (self._owner.url,))

    def execute(self, sql, params, get_key=False):
        self._check()
        return self._inner.execute(sql, params, get_key)

    def begin(self, isolation_level=None):
        self._check()
        self._inner.begin(isolation_level)

    def commit(self):
        self._check()
        self._inner.commit()

    def rollback(self):
        self._inner.rollback()

    def release(self, broken=False):
        self._inner.release(broken or not self._owner.available)


class SwitchableConnector(Connector):
    """Wraps a connector so tests can switch the database off and on (`available`)."""

    def __init__(self, inner):
        self.inner = inner
        self.dialect = inner.dialect
        self.url = inner.url
        self.available = True

    def open_session(self):
        if not self.available:
            raise DatabaseUnavailable("connection refused: database %r is switched off" % (self.url,))
        return _SwitchableSession(self, self.inner.open_session())

    def dispose(self):
        self.inner.dispose()


#: (predicate(url) -> bool, factory(url) -> Connector), tried in order, newest first.
CONNECTOR_FACTORIES = []
_EDGE_CONNECTOR_MODULES = ("harness.db_sqlalchemy",)
_edge_loaded = []


def register_connector_factory(predicate, factory):
    """Make `factory(url)` the connector for URLs where `predicate(url)` holds (newest wins)."""
    CONNECTOR_FACTORIES.insert(0, (predicate, factory))


def _load_host_connectors():
    if _edge_loaded:
        return
    _edge_loaded.append(True)
    if IS_JYTHON:  # pragma: no cover - Jython only
        import harness.core.db_zxjdbc  # noqa: F401  (registers itself)
        return
    import importlib
    for name in _EDGE_CONNECTOR_MODULES:  # CPython edge modules register themselves on import
        try:
            importlib.import_module(name)
        except ImportError:  # pragma: no cover - optional dependency missing
            pass


def connector_for_url(url):
    """The connector for a database URL (`sqlite:///file.db`, `postgresql://user@host:port/db`)."""
    if not isinstance(url, string_types):
        return url  # already a connector
    _load_host_connectors()
    for predicate, factory in CONNECTOR_FACTORIES:
        if predicate(url):
            return factory(url)
    raise UnknownDatabase("No connector handles the database URL %r on this host." % (url,))


def dialect_of_url(url):
    scheme = url.split(":", 1)[0].split("+", 1)[0].lower()
    if scheme in ("postgresql", "postgres", "jdbc") and "postgresql" in url.lower()[:20]:
        return "postgresql"
    if scheme in ("postgresql", "postgres"):
        return "postgresql"
    return "sqlite"


# -- the service -------------------------------------------------------------------------------------

class _Transaction(object):
    __slots__ = ("id", "database", "session", "timeout_ms", "last_used")

    def __init__(self, tx_id, database, session, timeout_ms, now):
        self.id = tx_id
        self.database = database
        self.session = session
        self.timeout_ms = timeout_ms
        self.last_used = now


def _clock_millis(clock):
    """A function returning milliseconds from a harness clock, a callable or None (wall time)."""
    if clock is None:
        return lambda: _time.time() * 1000.0
    for name in ("millis", "now_millis", "toMillis"):
        method = getattr(clock, name, None)
        if callable(method):
            return method
    now = getattr(clock, "now", None)
    if callable(now):
        def from_now():
            value = now()
            if isinstance(value, (int, float)):
                return float(value) * 1000.0
            value = to_naive_utc(value)
            delta = value - _EPOCH
            return (delta.days * 86400 + delta.seconds) * 1000.0 + delta.microseconds / 1000.0
        return from_now
    if callable(clock):
        return clock
    raise TypeError("clock must be a callable or have now(); got %r" % (clock,))


class DbService(object):
    """The `system.db` namespace for one gateway: named connections, transactions, named queries."""

    READ_UNCOMMITTED = 1
    READ_COMMITTED = 2
    REPEATABLE_READ = 4
    SERIALIZABLE = 8

    # java.sql.Types, as Ignition exposes them
    BIT, TINYINT, SMALLINT, INTEGER, BIGINT = -7, -6, 5, 4, -5
    FLOAT, REAL, DOUBLE, NUMERIC, DECIMAL = 6, 7, 8, 2, 3
    CHAR, VARCHAR, LONGVARCHAR, DATE, TIME, TIMESTAMP = 1, 12, -1, 91, 92, 93
    BINARY, VARBINARY, LONGVARBINARY, NULL, OTHER, BOOLEAN = -2, -3, -4, 0, 1111, 16

    def __init__(self, databases=None, default_database=None, clock=None, queries_dir=None,
                 default_tx_timeout_ms=DEFAULT_TX_TIMEOUT_MS):
        databases = dict(databases or {})
        if not databases:
            databases = {"genba": "sqlite:///genba.db"}
        self._urls = databases
        self.default_database = default_database or sorted(databases)[0]
        if self.default_database not in databases:
            raise UnknownDatabase("Default database %r is not among the configured %r."
                                  % (self.default_database, sorted(databases)))
        self._connectors = {}
        self._millis = _clock_millis(clock)
        self.queries_dir = queries_dir
        self.default_tx_timeout_ms = default_tx_timeout_ms
        self._txs = {}
        self._lock = threading.RLock()
        self._named = {}
        self.store_forward = None
        self.store_forward_path = None

    # -- configuration ---------------------------------------------------------------------------
    def database_names(self):
        return sorted(self._urls)

    def url(self, database=""):
        return self._urls[self._resolve(database)]

    def _resolve(self, database):
        name = database or self.default_database
        if name not in self._urls:
            raise UnknownDatabase("No database connection named %r; configured: %r."
                                  % (name, sorted(self._urls)), database=name)
        return name

    #: Called as `on_first_use(service, name)` after a database's connector is created (the gateway
    #: applies migrations there); if it raises, the connector is dropped and the next use retries.
    on_first_use = None

    def connector(self, database=""):
        name = self._resolve(database)
        connector = self._connectors.get(name)
        if connector is not None:
            return connector
        with self._lock:
            connector = self._connectors.get(name)
            if connector is not None:
                return connector
            connector = connector_for_url(self._urls[name])
            self._connectors[name] = connector
            if self.on_first_use is not None:
                try:
                    self.on_first_use(self, name)
                except BaseException:
                    self._connectors.pop(name, None)
                    connector.dispose()
                    raise
            return connector

    def set_connector(self, database, connector):
        """Use `connector` for `database` (tests: in-memory or switchable connectors)."""
        with self._lock:
            self._connectors[database] = connector
            if database not in self._urls:
                self._urls[database] = getattr(connector, "url", None) or database

    def dialect(self, database=""):
        return self.connector(database).dialect

    def close(self):
        """Roll back open transactions and dispose every connector."""
        if self.store_forward is not None:
            self.store_forward.close()
        with self._lock:
            for tx in list(self._txs.values()):
                self._end(tx, commit=False)
            for connector in self._connectors.values():
                connector.dispose()
            self._connectors.clear()

    # -- statements ------------------------------------------------------------------------------
    def _open(self, database, sql, args):
        try:
            return self.connector(database).open_session()
        except DatabaseError:
            raise
        except (Exception, JavaThrowable) as exc:  # driver / network failure while connecting
            raise self._error("Cannot connect to database %r" % (database,), sql, args, database, exc)

    def _error(self, prefix, sql, args, database, exc):
        driver = text_type(exc) if not isinstance(exc, DatabaseError) else exc.driver_message
        message = "%s: %s (SQL: %r, args: %r)" % (prefix, driver, sql, list(args or []))
        return DatabaseError(message, sql=sql, args=args, database=database, driver_message=driver, cause=exc)

    def _run(self, sql, args, database, tx, get_key=False):
        if not isinstance(sql, string_types):
            raise DatabaseError("SQL must be text, got %r." % (sql,), sql=sql, args=args)
        if args is None:
            args = []
        elif isinstance(args, string_types) or isinstance(args, dict) or not hasattr(args, "__iter__"):
            raise DatabaseError("Arguments must be a list, got %r (SQL: %r)." % (args, sql), sql=sql, args=[args],
                                database=database)
        else:
            args = list(args)
        self.expire_transactions()
        expected = _scan(sql)[0]
        if expected != len(args):
            raise DatabaseError("The SQL has %d ? placeholders but %d arguments were given (SQL: %r, args: %r)"
                                % (expected, len(args), sql, args), sql=sql, args=args, database=database)
        if tx:
            transaction = self._tx(tx)
            session = transaction.session
            try:
                return session.execute(sql, args, get_key)
            except (Exception, JavaThrowable) as exc:
                raise self._error("Statement failed in transaction %s on %r" % (tx, transaction.database),
                                  sql, args, transaction.database, exc)
            finally:
                transaction.last_used = self._millis()
        name = self._resolve(database)
        session = self._open(name, sql, args)
        try:
            result = session.execute(sql, args, get_key)
            session.commit()
        except (Exception, JavaThrowable) as exc:
            broken = False
            try:
                session.rollback()
            except (Exception, JavaThrowable):
                broken = True
            session.release(broken=broken or _looks_disconnected(exc))
            raise self._error("Statement failed on database %r" % (name,), sql, args, name, exc)
        session.release()
        return result

    def runPrepQuery(self, query, args=None, database="", tx=None):
        """Run a SELECT with `?` arguments; returns a PyDataSet."""
        names, rows, _, _ = self._run(query, args, database, tx)
        if names is None:
            names, rows = [], []
        return PyDataSet(BasicDataset.from_tuples(names, rows))

    def runQuery(self, query, database="", tx=None):
        return self.runPrepQuery(query, [], database, tx)

    def runScalarPrepQuery(self, query, args=None, database="", tx=None):
        """First column of the first row, or None when there are no rows."""
        names, rows, _, _ = self._run(query, args, database, tx)
        if not rows:
            return None
        return rows[0][0]

    def runScalarQuery(self, query, database="", tx=None):
        return self.runScalarPrepQuery(query, [], database, tx)

    def runPrepUpdate(self, query, args=None, database="", tx=None, getKey=False, skipAudit=True):
        """Run INSERT/UPDATE/DELETE/DDL; returns rows affected, or the generated `id` when getKey."""
        _, _, rowcount, key = self._run(query, args, database, tx, get_key=bool(getKey))
        if getKey:
            return key
        return rowcount if rowcount is not None and rowcount >= 0 else 0

    def runUpdateQuery(self, query, database="", tx=None, getKey=False, skipAudit=True):
        return self.runPrepUpdate(query, [], database, tx, getKey, skipAudit)

    # -- transactions ----------------------------------------------------------------------------
    def beginTransaction(self, database="", isolationLevel=None, timeout=None):
        """Open a transaction on `database`; returns its id. `timeout` = idle ms before rollback."""
        self.expire_transactions()
        name = self._resolve(database)
        session = self._open(name, "BEGIN", [])
        try:
            session.begin(isolationLevel)
        except (Exception, JavaThrowable) as exc:
            session.release(broken=True)
            raise self._error("Cannot begin a transaction on %r" % (name,), "BEGIN", [], name, exc)
        tx_id = text_type(uuid.uuid4())
        timeout_ms = self.default_tx_timeout_ms if timeout is None else timeout
        with self._lock:
            self._txs[tx_id] = _Transaction(tx_id, name, session, timeout_ms, self._millis())
        return tx_id

    def _tx(self, tx):
        with self._lock:
            transaction = self._txs.get(tx)
        if transaction is None:
            raise TransactionError("Transaction %r is unknown, closed or expired (rolled back after its idle timeout)." % (tx,))
        return transaction

    def commitTransaction(self, tx):
        """Commit the work so far; the transaction stays open for more work until closed."""
        self.expire_transactions()
        transaction = self._tx(tx)
        try:
            transaction.session.commit()
            transaction.session.begin()
        except (Exception, JavaThrowable) as exc:
            raise self._error("Commit failed for transaction %s" % (tx,), "COMMIT", [], transaction.database, exc)
        transaction.last_used = self._millis()

    def rollbackTransaction(self, tx):
        """Undo the work since the last commit; the transaction stays open until closed."""
        self.expire_transactions()
        transaction = self._tx(tx)
        try:
            transaction.session.rollback()
            transaction.session.begin()
        except (Exception, JavaThrowable) as exc:
            raise self._error("Rollback failed for transaction %s" % (tx,), "ROLLBACK", [], transaction.database, exc)
        transaction.last_used = self._millis()

    def closeTransaction(self, tx):
        """Close the transaction: uncommitted work is rolled back and the id becomes unknown."""
        self.expire_transactions()
        transaction = self._tx(tx)
        self._end(transaction, commit=False)

    def _end(self, transaction, commit):
        with self._lock:
            self._txs.pop(transaction.id, None)
        broken = False
        try:
            if commit:
                transaction.session.commit()
            else:
                transaction.session.rollback()
        except (Exception, JavaThrowable):
            broken = True
        transaction.session.release(broken=broken)

    def expire_transactions(self):
        """Roll back and forget every transaction idle longer than its timeout. Returns their ids."""
        if not self._txs:
            return []
        now = self._millis()
        expired = []
        with self._lock:
            for transaction in list(self._txs.values()):
                if transaction.timeout_ms is not None and transaction.timeout_ms >= 0 and \
                        now - transaction.last_used > transaction.timeout_ms:
                    expired.append(transaction)
        for transaction in expired:
            self._end(transaction, commit=False)
        return sorted(t.id for t in expired)

    def open_transactions(self):
        with self._lock:
            return sorted(self._txs)

    # -- named queries ---------------------------------------------------------------------------
    def _named_query(self, path):
        if self.queries_dir is None:
            raise DatabaseError("Named query %r: no queries folder is configured." % (path,))
        path = path.strip("/")
        if ".." in path.split("/"):
            raise DatabaseError("Named query path %r may not contain '..'." % (path,))
        base = os.path.join(self.queries_dir, *path.split("/"))
        sql_file = base + ".sql"
        if not os.path.isfile(sql_file):
            raise DatabaseError("Named query %r not found (looked for %s)." % (path, sql_file))
        stamp = os.path.getmtime(sql_file)
        cached = self._named.get(path)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        with io.open(sql_file, encoding="utf-8") as handle:
            text = handle.read()
        meta = {"type": "Query", "database": "", "parameters": []}
        if os.path.isfile(base + ".json"):
            with io.open(base + ".json", encoding="utf-8") as handle:
                meta.update(json.load(handle))
        sql, names = named_to_qmark(text)
        query = {"sql": sql, "names": names, "type": meta.get("type") or "Query",
                 "database": meta.get("database") or "",
                 "types": dict((p.get("identifier"), p.get("sqlType")) for p in meta.get("parameters") or [])}
        self._named[path] = (stamp, query)
        return query

    def runNamedQuery(self, path, parameters=None, tx=None, getKey=False, *more):
        """Run `project/db/queries/<path>.sql` (`:name` placeholders) as its sidecar .json says.

        The gateway-scope form `runNamedQuery(project, path, parameters, [tx], [getKey])` is accepted too.
        """
        if isinstance(parameters, string_types):  # (project, path, parameters, ...)
            extra = (tx, getKey) + more
            path, parameters = parameters, extra[0]
            tx = extra[1] if len(extra) > 1 else None
            getKey = extra[2] if len(extra) > 2 else False
        query = self._named_query(path)
        parameters = parameters or {}
        args = []
        for name in query["names"]:
            if name not in parameters:
                raise DatabaseError("Named query %r needs the parameter %r; given %r."
                                    % (path, name, sorted(parameters)), sql=query["sql"])
            args.append(_coerce_param(parameters[name], query["types"].get(name)))
        kind = query["type"]
        database = query["database"]
        if kind == "UpdateQuery":
            return self.runPrepUpdate(query["sql"], args, database, tx, getKey)
        if kind == "ScalarQuery":
            return self.runScalarPrepQuery(query["sql"], args, database, tx)
        return self.runPrepQuery(query["sql"], args, database, tx)

    # -- store and forward -----------------------------------------------------------------------
    def runSFPrepUpdate(self, query, args, datasources=None):
        """Store-and-forward write: applied now if the database is up, else queued durably and
        written in order once it returns. Returns True when accepted."""
        if self.store_forward is None and self.store_forward_path:
            self.enable_store_forward(self.store_forward_path)
        if self.store_forward is None:
            raise DatabaseError("Store-and-forward is not configured for this gateway.", sql=query, args=args)
        if datasources is None or isinstance(datasources, string_types):
            datasources = [datasources or ""]
        for database in datasources:
            self.store_forward.submit(query, args, database)
        return True

    def runSFUpdateQuery(self, query, datasources=None):
        return self.runSFPrepUpdate(query, [], datasources)

    # -- helpers for the harness -----------------------------------------------------------------
    #: scheduler(seconds, callback) used by store-and-forward to retry waiting records (the gateway clock).
    store_forward_scheduler = None

    def enable_store_forward(self, journal_path, retry_ms=5000):
        """Turn on store-and-forward with its journal at `journal_path`; returns the queue."""
        from harness.core.store_forward import StoreAndForward
        self.store_forward = StoreAndForward(self, journal_path, retry_ms=retry_ms,
                                             scheduler=self.store_forward_scheduler)
        return self.store_forward

    def now(self):
        """The service clock's current time as a naive UTC datetime."""
        return _EPOCH + datetime.timedelta(milliseconds=self._millis())

    def ping(self, database=""):
        """True when a fresh connection to `database` answers `SELECT 1`."""
        try:
            self.runScalarQuery("SELECT 1", database)
            return True
        except DatabaseError:
            return False


def _looks_disconnected(exc):
    text = text_type(exc).lower()
    for word in ("closed", "connection", "terminat", "server", "unable to open", "disk i/o"):
        if word in text:
            return True
    return False


_INT_SQL_TYPES = ("int1", "int2", "int4", "int8", "int", "integer", "long", "short", "byte")
_FLOAT_SQL_TYPES = ("float4", "float8", "float", "double", "real", "decimal", "numeric")


def _coerce_param(value, sql_type):
    """Coerce a named-query parameter by its declared sqlType (String, Int4, Float8, Boolean, DateTime)."""
    if value is None or sql_type is None:
        return value
    kind = text_type(sql_type).lower()
    try:
        if kind in _INT_SQL_TYPES and not isinstance(value, bool):
            return int(value)
        if kind in _FLOAT_SQL_TYPES:
            return float(value)
        if kind in ("boolean", "bool", "bit"):
            if isinstance(value, string_types):
                return value.strip().lower() in ("true", "1", "yes")
            return bool(value)
        if kind in ("string", "text", "varchar"):
            return value if isinstance(value, string_types) else text_type(value)
        if kind in ("datetime", "date", "timestamp") and isinstance(value, string_types):
            return parse_timestamp(value)
    except (TypeError, ValueError):
        raise DatabaseError("Named-query parameter %r is not a valid %s." % (value, sql_type))
    return value
