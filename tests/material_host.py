"""A small stand-in host for the material tests: loads project/scripts/mes the way a gateway does
(modules reached by full path, `system` injected) over a SQLite file with the project migrations.

It offers the part of the Gateway surface the material scenarios use: `.system.db`, `.system.date`,
`.system.tag` (a dict of memory tags), `.call("mes.x.f", ...)`, `.clock.advance(s)`, `.clock.now()`.
The `gateway` fixture replaces it wherever the full harness is available.
"""
from __future__ import absolute_import, division, print_function

import datetime
import os
import re
import sqlite3
import types

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCRIPTS = os.path.join(ROOT, "project", "scripts", "mes")
MIGRATIONS = os.path.join(ROOT, "project", "db", "migrations")


class DataSet(object):
    def __init__(self, columns, rows):
        self._columns = list(columns)
        self._rows = [Row(self._columns, r) for r in rows]

    def getColumnNames(self):
        return list(self._columns)

    def getRowCount(self):
        return len(self._rows)

    def __len__(self):
        return len(self._rows)

    def __iter__(self):
        return iter(self._rows)

    def __getitem__(self, i):
        return self._rows[i]


class Row(object):
    def __init__(self, columns, values):
        self._columns = columns
        self._values = list(values)

    def __getitem__(self, key):
        if isinstance(key, int):
            return self._values[key]
        return self._values[self._columns.index(key)]

    def __iter__(self):
        return iter(self._values)


def _convert_ts(value):
    if isinstance(value, str) and re.match(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$", value):
        return datetime.datetime.strptime(value, "%Y-%m-%d %H:%M:%S.%f")
    return value


def _bind(args):
    out = []
    for a in args or []:
        if isinstance(a, datetime.datetime):
            out.append(a.strftime("%Y-%m-%d %H:%M:%S.%f"))
        else:
            out.append(a)
    return out


def expand_migration(sql):
    return sql.replace("{{id}}", "INTEGER PRIMARY KEY AUTOINCREMENT")


def statements(sql):
    lines = [ln for ln in sql.splitlines() if not ln.strip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


def migrate_sqlite(conn):
    for name in sorted(os.listdir(MIGRATIONS)):
        if name.endswith(".sql"):
            with open(os.path.join(MIGRATIONS, name)) as fh:
                for stmt in statements(expand_migration(fh.read())):
                    conn.execute(stmt)
    conn.commit()


class Db(object):
    def __init__(self, path):
        self.path = path
        self._tx = {}
        self._n = 0
        self._auto = self._connect()

    def _connect(self):
        conn = sqlite3.connect(self.path, timeout=30)
        conn.execute("PRAGMA foreign_keys = ON")
        return conn

    def _conn(self, tx):
        return self._tx[tx] if tx else self._auto

    def runPrepQuery(self, sql, args=None, database="", tx=None):
        cur = self._conn(tx).execute(sql, _bind(args))
        cols = [d[0] for d in cur.description]
        rows = [[_convert_ts(v) for v in r] for r in cur.fetchall()]
        return DataSet(cols, rows)

    def runQuery(self, sql, database="", tx=None):
        return self.runPrepQuery(sql, [], database, tx)

    def runScalarPrepQuery(self, sql, args=None, database="", tx=None):
        ds = self.runPrepQuery(sql, args, database, tx)
        return ds[0][0] if len(ds) else None

    def runPrepUpdate(self, sql, args=None, database="", tx=None, getKey=False, skipAudit=True):
        conn = self._conn(tx)
        cur = conn.execute(sql, _bind(args))
        if not tx:
            conn.commit()
        return cur.lastrowid if getKey else cur.rowcount

    def beginTransaction(self, database="", isolationLevel=None, timeout=None):
        self._n += 1
        name = "tx-%d" % self._n
        self._tx[name] = self._connect()
        return name

    def commitTransaction(self, tx):
        self._tx[tx].commit()

    def rollbackTransaction(self, tx):
        self._tx[tx].rollback()

    def closeTransaction(self, tx):
        self._tx.pop(tx).close()


class Clock(object):
    def __init__(self, start):
        self._now = start

    def now(self):
        return self._now

    def advance(self, seconds):
        self._now += datetime.timedelta(seconds=seconds)


class DateApi(object):
    def __init__(self, clock):
        self._clock = clock

    def now(self):
        return self._clock.now()

    def getYear(self, d):
        return d.year

    def getMonth(self, d):
        return d.month - 1

    def getDayOfMonth(self, d):
        return d.day


class QV(object):
    def __init__(self, value):
        self.value = value
        self.quality = "Good"


class TagApi(object):
    def __init__(self):
        self.values = {}

    def readBlocking(self, paths, timeout=45000):
        return [QV(self.values.get(p)) for p in paths]

    def writeBlocking(self, paths, values, timeout=45000):
        for p, v in zip(paths, values):
            self.values[p] = v
        return ["Good" for _ in paths]


class Stubs(object):
    """mes.security / mes.audit stand-ins: roles per user and an in-memory audit list."""

    def __init__(self):
        self.roles = {}
        self.records = []


class Mes(object):
    def __init__(self, system, stubs):
        self._system = system
        self._stubs = stubs

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        path = os.path.join(SCRIPTS, name + ".py")
        if not os.path.exists(path):
            stub = self._stub(name)
            if stub is None:
                raise AttributeError(name)
            setattr(self, name, stub)
            return stub
        module = types.ModuleType("mes." + name)
        module.__dict__["system"] = self._system
        module.__dict__["mes"] = self
        setattr(self, name, module)
        with open(path) as fh:
            exec(compile(fh.read(), path, "exec"), module.__dict__)
        return module

    def _stub(self, name):
        stubs = self._stubs
        mes = self
        if name == "security":
            def require_role(username, role):
                if role not in stubs.roles.get(username, ()):
                    raise mes.errors.PermissionDenied(
                        "User %r lacks role %r." % (username, role), expected=role, got=username)
            return types.SimpleNamespace(require_role=require_role)
        if name == "audit":
            def record(actor, action, subject, details=None, reason=None, tx=None):
                stubs.records.append({"actor": actor, "action": action, "subject": subject,
                                      "details": details, "reason": reason, "tx": tx})
                return len(stubs.records)
            return types.SimpleNamespace(record=record)
        return None


class MaterialHost(object):
    def __init__(self, db_path, start=datetime.datetime(2026, 1, 5, 6, 0, 0)):
        conn = sqlite3.connect(db_path)
        migrate_sqlite(conn)
        conn.close()
        self.clock = Clock(start)
        self.stubs = Stubs()
        self.system = types.SimpleNamespace(db=Db(db_path), date=DateApi(self.clock), tag=TagApi())
        self.mes = Mes(self.system, self.stubs)

    def call(self, dotted, *args, **kwargs):
        parts = dotted.split(".")
        fn = getattr(getattr(self.mes, parts[1]), parts[2])
        return fn(*args, **kwargs)
