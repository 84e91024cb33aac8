"""A small stand-in gateway for the ERP tests while the harness Gateway is not on this branch.

It offers the slice of the harness API the ERP tests and scenarios use: `call`, `clock.advance`,
`clock.now`, `system` (db with transactions over sqlite3, date, util, net), timer events from
`project/events/timer/*` and message handlers. Tests use `harness.Gateway` instead when it exists
and can run the ERP migrations (see tests/erp_gateway.py).
"""
from __future__ import absolute_import, division, print_function

import datetime
import glob
import json
import logging
import os
import sqlite3
import types

from harness.core import net

EPOCH = datetime.datetime(1970, 1, 1)


class Row(object):
    def __init__(self, names, values):
        self._names, self._values = names, values

    def __getitem__(self, key):
        if isinstance(key, str):
            return self._values[self._names.index(key)]
        return self._values[key]

    def __len__(self):
        return len(self._values)


class DataSet(list):
    def __init__(self, names, rows):
        list.__init__(self, [Row(names, r) for r in rows])
        self._names = names

    def getColumnNames(self):
        return list(self._names)

    def getRowCount(self):
        return len(self)


class Db(object):
    def __init__(self, path):
        self.path = path
        self._tx = {}
        self._auto = self._connect()

    def _connect(self):
        con = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA busy_timeout=5000")
        return con

    def _con(self, tx):
        if tx:
            return self._tx[tx]
        return self._auto

    def beginTransaction(self, database="", isolationLevel=None, timeout=None):
        con = self._connect()
        con.execute("BEGIN")
        tx = "tx-%d" % (len(self._tx) + id(con))
        self._tx[tx] = con
        return tx

    def commitTransaction(self, tx):
        self._tx[tx].execute("COMMIT")
        self._tx[tx].execute("BEGIN")

    def rollbackTransaction(self, tx):
        self._tx[tx].execute("ROLLBACK")
        self._tx[tx].execute("BEGIN")

    def closeTransaction(self, tx):
        con = self._tx.pop(tx)
        if con.in_transaction:
            con.execute("ROLLBACK")
        con.close()

    def runPrepQuery(self, query, args=(), database="", tx=None):
        cur = self._con(tx).execute(query, list(args or ()))
        names = [d[0] for d in cur.description or ()]
        return DataSet(names, cur.fetchall())

    def runScalarPrepQuery(self, query, args=(), database="", tx=None):
        row = self._con(tx).execute(query, list(args or ())).fetchone()
        return row[0] if row else None

    def runPrepUpdate(self, query, args=(), database="", tx=None, getKey=False, skipAudit=True):
        cur = self._con(tx).execute(query, list(args or ()))
        return cur.lastrowid if getKey else cur.rowcount

    def script(self, sql):
        self._auto.executescript(sql)


class Clock(object):
    def __init__(self, start, gateway):
        self._now = start
        self._gw = gateway

    def now(self):
        return self._now

    def advance(self, seconds):
        end = self._now + datetime.timedelta(seconds=seconds)
        while True:
            due = self._gw._next_timer()
            if due is None or due[0] > end:
                break
            self._now = max(self._now, due[0])
            self._gw._run_timer(due[1])
        self._now = end


class DateApi(object):
    def __init__(self, clock):
        self._clock = clock

    def now(self):
        return self._clock.now()

    def toMillis(self, date):
        return int((date - EPOCH).total_seconds() * 1000)

    def fromMillis(self, millis):
        return EPOCH + datetime.timedelta(milliseconds=millis)


class Logger(object):
    def __init__(self, name):
        self._log = logging.getLogger(name)

    def __getattr__(self, level):
        return getattr(self._log, {"warn": "warning"}.get(level, level))


class UtilApi(object):
    def getLogger(self, name):
        return Logger(name)

    def jsonEncode(self, value, indent=None):
        return json.dumps(value)

    def jsonDecode(self, text):
        return json.loads(text)


class MesPackage(types.ModuleType):
    """`mes`: modules loaded on first attribute access, globals `system` and `mes` injected."""

    def __init__(self, root, system):
        types.ModuleType.__init__(self, "mes")
        self._root, self._system = root, system

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        path = os.path.join(self._root, name + ".py")
        if not os.path.exists(path):
            raise AttributeError("mes.%s" % name)
        module = types.ModuleType("mes." + name)
        module.__dict__.update({"system": self._system, "mes": self, "__file__": path})
        setattr(self, name, module)
        with open(path) as fh:
            exec(compile(fh.read(), path, "exec"), module.__dict__)
        return module


class ErpHost(object):
    def __init__(self, project, db_path, start="2026-01-05T06:00:00"):
        self.project = project
        self.clock = Clock(datetime.datetime.strptime(start, "%Y-%m-%dT%H:%M:%S"), self)
        self.system = types.SimpleNamespace(
            db=Db(db_path), date=DateApi(self.clock), util=UtilApi(),
            net=types.SimpleNamespace(httpClient=net.httpClient))
        self.mes = MesPackage(os.path.join(project, "scripts", "mes"), self.system)
        for path in sorted(glob.glob(os.path.join(project, "db", "migrations", "*.sql"))):
            self.system.db.script(open(path).read())
        self._timers = {}
        for folder in sorted(glob.glob(os.path.join(project, "events", "timer", "*"))):
            config = json.load(open(os.path.join(folder, "config.json")))
            if config.get("enabled", True):
                self._timers[os.path.basename(folder)] = [self.clock.now() + datetime.timedelta(
                    milliseconds=config["delay"]), config["delay"], os.path.join(folder, "handleTimerEvent.py")]

    def _handler(self, path, name):
        scope = {"system": self.system, "mes": self.mes}
        exec(compile(open(path).read(), path, "exec"), scope)
        return scope[name]

    def _next_timer(self):
        if not self._timers:
            return None
        name = min(self._timers, key=lambda n: (self._timers[n][0], n))
        return self._timers[name][0], name

    def _run_timer(self, name):
        timer = self._timers[name]
        self._handler(timer[2], "handleTimerEvent")()
        timer[0] = self.clock.now() + datetime.timedelta(milliseconds=timer[1])

    def call(self, path, *args, **kwargs):
        parts = path.split(".")
        target = self.mes if parts[0] == "mes" else None
        for part in parts[1:]:
            target = getattr(target, part)
        return target(*args, **kwargs)

    def send_request(self, handler, payload):
        path = os.path.join(self.project, "events", "message", handler, "handleMessage.py")
        return self._handler(path, "handleMessage")(payload)

    def shutdown(self):
        pass
