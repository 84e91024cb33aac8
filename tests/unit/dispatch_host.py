"""A tiny in-process host for the dispatch unit tests: the `mes` library over sqlite3.

It gives the modules a `system` with db (transactions, `?` queries), date (a settable clock) and
tag (an in-memory store), enough to test the rules of dispatch, security and audit quickly. The
scenario tests use the full harness gateway instead.
"""
import datetime
import os
import sqlite3
import types

from harness.core.db import DbService
from harness.core.migrations import upgrade

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPTS = os.path.join(ROOT, "project", "scripts")
MIGRATIONS = os.path.join(ROOT, "project", "db", "migrations")


class Date(object):
    def __init__(self, start):
        self.current = start

    def now(self):
        return self.current

    def toMillis(self, value):
        return int((value - datetime.datetime(1970, 1, 1)).total_seconds() * 1000)


class QV(object):
    def __init__(self, value):
        self.value = value


class Tag(object):
    def __init__(self):
        self.values = {}
        self.fail = set()

    def readBlocking(self, paths, timeout=45000):
        return [QV(self.values.get(p)) for p in paths]

    def writeBlocking(self, paths, values, timeout=45000):
        codes = []
        for path, value in zip(paths, values):
            if path in self.fail:
                codes.append(Code(False))
            else:
                self.values[path] = value
                codes.append(Code(True))
        return codes

    def exists(self, path):
        return path in self.values

    def configure(self, base, tags, policy="o"):
        return []


class Code(object):
    def __init__(self, good):
        self.good = good

    def isGood(self):
        return self.good


class Logger(object):
    def __init__(self):
        self.lines = []

    def info(self, message):
        self.lines.append(message)

    warn = error = debug = info


class Util(object):
    def __init__(self):
        self.logger = Logger()
        self.globals = {}

    def getLogger(self, name):
        return self.logger

    def getGlobals(self):
        return self.globals


class Host(object):
    """`host.mes` is the library, `host.system` its system, `host.advance(s)` moves the clock."""

    def __init__(self, db_path):
        self.path = db_path
        date = Date(datetime.datetime(2026, 1, 5, 6, 0, 0))
        db = DbService({"genba": "sqlite:///" + db_path}, "genba",
                       clock=lambda: date.toMillis(date.now()))
        upgrade(db, MIGRATIONS)
        self.system = types.SimpleNamespace(db=db, date=date, tag=Tag(), util=Util())
        self.mes = Package(self, "mes", os.path.join(SCRIPTS, "mes"))

    def close(self):
        self.system.db.close()

    def advance(self, seconds):
        self.system.date.current += datetime.timedelta(seconds=seconds)

    def table(self, sql):
        connection = sqlite3.connect(self.path)
        try:
            return connection.execute(sql).fetchall()
        finally:
            connection.close()

    def snapshot(self):
        """Every row of every table: equal snapshots mean nothing was written."""
        connection = sqlite3.connect(self.path)
        try:
            names = [r[0] for r in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name <> "
                "'schema_migrations' ORDER BY name")]
            return dict((n, sorted(connection.execute("SELECT * FROM %s" % n).fetchall(),
                                   key=repr)) for n in names)
        finally:
            connection.close()


class Package(object):
    def __init__(self, host, dotted, folder):
        self._host, self._dotted, self._folder = host, dotted, folder

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        filename = os.path.join(self._folder, name + ".py")
        if not os.path.exists(filename):
            raise AttributeError("project library has no %s.%s" % (self._dotted, name))
        module = types.ModuleType(self._dotted + "." + name)
        module.__dict__.update({"system": self._host.system, "mes": self})
        self.__dict__[name] = module
        with open(filename, encoding="utf-8") as handle:
            exec(compile(handle.read(), filename, "exec"), module.__dict__)
        return module
