"""A small stand-in host for the OEE tests: the `mes` library with `system.tag/db/date/util`,
a virtual clock, gateway tag-change/timer/startup/shutdown events and SQLite, exposing the subset
of the harness `Gateway` API the OEE scenarios use (call, clock, tags.update, read, settle,
restart). Tests use the harness `gateway` fixture when the harness is importable, this otherwise.
"""
from __future__ import absolute_import, division, print_function

import datetime
import glob
import json
import logging
import os
import re
import sqlite3
import types

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROJECT = os.path.join(ROOT, "project")
EPOCH = datetime.datetime(1970, 1, 1)


def _counter_delta(previous, current, bits=32):
    """Stand-in for mes.counter.delta when the library lacks it (same documented rule)."""
    span = 1 << bits
    if current >= previous:
        return current - previous
    if previous - current > span // 2:
        return current + span - previous
    return current


class Quality(object):
    def __init__(self, name):
        self.name = name

    def isGood(self):
        return self.name.startswith("Good")

    def __repr__(self):
        return self.name


GOOD = Quality("Good")


class QV(object):
    def __init__(self, value, quality, timestamp):
        self.value, self.quality, self.timestamp = value, quality, timestamp


class Library(object):
    """Lazily loads project/scripts/mes/*.py as `mes.<module>` with `system` and `mes` injected."""

    def __init__(self, system):
        self._system = system
        self._modules = {}

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        if name not in self._modules:
            path = os.path.join(PROJECT, "scripts", "mes", name + ".py")
            module = types.ModuleType("mes." + name)
            if not os.path.exists(path):
                if name == "counter":
                    module.delta = _counter_delta
                    self._modules[name] = module
                    return module
                raise AttributeError("mes.%s" % name)
            module.__dict__.update({"system": self._system, "mes": self})
            self._modules[name] = module
            with open(path) as handle:
                code = compile(handle.read(), path, "exec")
            exec(code, module.__dict__)
        return self._modules[name]

    def install(self, name, module):
        self._modules[name] = module


class Rows(list):
    def __init__(self, names, rows):
        list.__init__(self, rows)
        self._names = names

    def getColumnNames(self):
        return list(self._names)


class Clock(object):
    def __init__(self, gw, start):
        self._gw = gw
        self.ms = int((datetime.datetime.strptime(start, "%Y-%m-%dT%H:%M:%S") - EPOCH)
                      .total_seconds() * 1000)

    def now(self):
        return EPOCH + datetime.timedelta(milliseconds=self.ms)

    def advance(self, seconds):
        target = self.ms + int(round(seconds * 1000))
        while True:
            due = [t for t in self._gw._timers if t["next"] <= target]
            if not due:
                break
            timer = min(due, key=lambda t: t["next"])
            self.ms = timer["next"]
            timer["fn"]()
            timer["next"] = self.ms + timer["delay"]
        self.ms = target


class Tags(object):
    def __init__(self, gw):
        self._gw = gw
        self.values = {}

    def update(self, path, value, quality=None, timestamp=None):
        old = self.values.get(path)
        stamp = self._gw.clock.now() if timestamp is None else timestamp
        qv = QV(value, quality or GOOD, stamp)
        self.values[path] = qv
        self._gw._fire(path, qv, old)


class System(object):
    pass


class StandInGateway(object):
    def __init__(self, db_path, start="2026-01-05T06:00:00", users=None):
        self.clock = Clock(self, start)
        self.tags = Tags(self)
        self.db_path = db_path
        self.audit = []
        self.roles = users if users is not None else {"alice": ["operator"], "bob": []}
        self._boot(migrate=True)

    # host -----------------------------------------------------------------
    def _boot(self, migrate=False, device=None):
        self._conn = sqlite3.connect(self.db_path)
        self._conn.isolation_level = None
        self._conn.execute("PRAGMA foreign_keys = ON")
        if migrate:
            for path in sorted(glob.glob(os.path.join(PROJECT, "db", "migrations", "*.sql"))):
                sql = open(path).read().replace("{{id}}", "INTEGER PRIMARY KEY AUTOINCREMENT")
                sql = "\n".join(l for l in sql.splitlines() if not l.strip().startswith("--"))
                for stmt in sql.split(";"):
                    if stmt.strip():
                        self._conn.execute(stmt)
        self.system = self._make_system()
        self.mes = Library(self.system)
        self._install_dispatch_standins()
        self._load_events()
        for path in sorted(device or {}):
            self.tags.values[path] = device[path]
        self._run_event("startup")
        for path in sorted(device or {}):
            self._fire(path, device[path], None)

    def _install_dispatch_standins(self):
        gw = self
        security = types.ModuleType("mes.security")
        audit = types.ModuleType("mes.audit")

        def require_role(username, role):
            if role not in gw.roles.get(username, []):
                raise gw.mes.errors.PermissionDenied("User %r lacks role %r." % (username, role))

        def record(actor, action, subject, details=None, reason=None, tx=None):
            gw.audit.append({"actor": actor, "action": action, "subject": subject,
                             "details": details, "reason": reason})
            return len(gw.audit)
        security.require_role = require_role
        audit.record = record
        for name, module in (("security", security), ("audit", audit)):
            if not os.path.exists(os.path.join(PROJECT, "scripts", "mes", name + ".py")):
                self.mes.install(name, module)

    def _make_system(self):
        gw = self
        system = System()
        date = types.SimpleNamespace(
            now=lambda: gw.clock.now(),
            toMillis=lambda d: int(round((d - EPOCH).total_seconds() * 1000)),
            fromMillis=lambda ms: EPOCH + datetime.timedelta(milliseconds=ms))

        def read(paths, timeout=None):
            return [gw.tags.values.get(p, QV(None, Quality("Bad_NotFound"), None)) for p in paths]

        def write(paths, values, timeout=None):
            for p, v in zip(paths, values):
                gw.tags.values[p] = QV(v, GOOD, gw.clock.now())
            return [GOOD for _p in paths]
        tag = types.SimpleNamespace(readBlocking=read, writeBlocking=write)

        def run(sql, args):
            if re.search(r"%[sd]", sql):
                raise AssertionError("formatted SQL: %r" % sql)
            return gw._conn.execute(sql, [gw._bind(a) for a in args])

        def prep_query(sql, args, database="", tx=None):
            cur = run(sql, args)
            names = [d[0] for d in cur.description]
            return Rows(names, [tuple(r) for r in cur.fetchall()])

        def prep_update(sql, args, database="", tx=None, getKey=False):
            cur = run(sql, args)
            return cur.lastrowid if getKey else cur.rowcount

        def begin(database="", isolationLevel=None, timeout=None):
            gw._conn.execute("BEGIN")
            return "tx1"
        db = types.SimpleNamespace(
            runPrepQuery=prep_query, runPrepUpdate=prep_update, beginTransaction=begin,
            commitTransaction=lambda tx: gw._conn.execute("COMMIT"),
            rollbackTransaction=lambda tx: gw._conn.execute("ROLLBACK"),
            closeTransaction=lambda tx: None)

        class Logger(object):
            def __init__(self, name):
                self._log = logging.getLogger(name)
                self.warn = self._log.warning
                self.info = self._log.info
                self.error = self._log.error
                self.debug = self._log.debug
        util = types.SimpleNamespace(getLogger=Logger, jsonEncode=json.dumps, jsonDecode=json.loads)
        system.date, system.tag, system.db, system.util = date, tag, db, util
        return system

    @staticmethod
    def _bind(value):
        return value

    def _load_events(self):
        self._handlers = []
        self._timers = []
        self._scripts = {}
        base = os.path.join(PROJECT, "events")
        for kind in ("startup", "shutdown"):
            for path in glob.glob(os.path.join(base, kind, "*.py")):
                self._scripts[kind] = self._compile(path)
        for folder in sorted(glob.glob(os.path.join(base, "tag-change", "*"))):
            config = json.load(open(os.path.join(folder, "config.json")))
            fn = self._compile(os.path.join(folder, "onTagChange.py"))["onTagChange"]
            self._handlers.append({"paths": set(config["paths"]), "fn": fn, "count": 0})
        for folder in sorted(glob.glob(os.path.join(base, "timer", "*"))):
            config = json.load(open(os.path.join(folder, "config.json")))
            fn = self._compile(os.path.join(folder, "handleTimerEvent.py"))["handleTimerEvent"]
            self._timers.append({"delay": config["delay"], "fn": fn,
                                 "next": self.clock.ms + config["delay"]})

    def _compile(self, path):
        scope = {"system": self.system, "mes": self.mes}
        exec(compile(open(path).read(), path, "exec"), scope)
        return scope

    def _run_event(self, kind):
        scope = self._scripts.get(kind)
        if scope:
            scope["onStartup" if kind == "startup" else "onShutdown"]()

    def _fire(self, path, qv, old):
        for handler in self._handlers:
            if path in handler["paths"]:
                handler["count"] += 1
                event = types.SimpleNamespace(tagPath=path)
                handler["fn"](handler["count"] == 1, qv, old, event, handler["count"])

    # API used by the scenarios ---------------------------------------------
    def call(self, dotted, *args, **kwargs):
        parts = dotted.split(".")
        if parts[0] != "mes":
            raise ValueError(dotted)
        target = getattr(getattr(self.mes, parts[1]), parts[2])
        return target(*args, **kwargs)

    def read(self, path):
        return self.system.tag.readBlocking([path])[0]

    def write(self, path, value):
        return self.system.tag.writeBlocking([path], [value])[0]

    def settle(self):
        return None

    def restart(self):
        """Shutdown event, drop library modules, memory tags and events, then boot again."""
        self._run_event("shutdown")
        device = dict((p, qv) for p, qv in self.tags.values.items() if not p.startswith("[default]OEE/"))
        self._conn.close()
        self.tags.values = {}
        self._boot(device=device)

    def shutdown(self):
        self._run_event("shutdown")
        self._conn.close()
