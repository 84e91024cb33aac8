"""The plant the fuzz tests hammer: one harness gateway on a SQLite file with the Line 2 cell, its
people, a released work order with a bill of material, released lots, a quality station, and an
outcome check that every call ends in success or a typed refusal that wrote nothing.

`Plant.attempt(area, "mes.x.y", *args)` calls the library through the gateway. A `MesError`
refusal must leave every table exactly as it was (except the tables in `logs`, where the area
keeps its record of refused input); any other exception fails the test. Every attempt is counted
per area in `CASES` for the run's summary.
"""
from __future__ import absolute_import, division, print_function

import collections
import io
import os
import sqlite3

from harness import Gateway

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
START = "2026-01-05T06:00:00"
CASES = collections.Counter()

GAUGE = "[default]Genba/Plant1/Assembly/Line2/TorqueStation1/Torque"
QC_TAGS = "[default]Genba/Quality/TorqueStation1"
WO = "WO-7001"
ITEMS = [("RESIN-A", "KG", "lot", "09501101530003"), ("PCB-100", "EA", "serial", "09501101530027"),
         ("SCREW-M3", "EA", "bulk", "09501101530034")]


def _load_dispatch_plant():
    path = os.path.join(ROOT, "tests", "scenarios", "_dispatch_plant.py")
    namespace = {"__file__": path}
    with io.open(path, encoding="utf-8") as handle:
        exec(compile(handle.read(), path, "exec"), namespace)
    return namespace


class Refused(object):
    """What a refused call raised (kept for assertions on the error's words)."""

    def __init__(self, error):
        self.error = error
        self.code = getattr(error, "code", None)
        self.message = str(error)


class Plant(object):
    def __init__(self, folder):
        self.path = os.path.join(str(folder), "fuzz.db")
        self._reader = None
        self._cached = None
        self.gw = Gateway(project=os.path.join(ROOT, "project"), clock="virtual", start=START,
                          databases={"genba": "sqlite:///" + self.path}, default_database="genba")
        self.helpers = _load_dispatch_plant()
        self.m = self.helpers["build"](self.gw)
        self.mes_error = self.gw.eval("mes.errors.MesError")
        self._arrange()

    # -- arrangement -------------------------------------------------------------------------
    def _arrange(self):
        m, call = self.m, self.gw.call
        for item_id, uom, tracking, gtin in ITEMS:
            m.item.define("eve", item_id, "A", item_id.lower(), uom, tracking)
            m.material.assign_gtin("eve", gtin, item_id)
        m.inspection.define_plan("eve", "PUMP-100", "B", 20, [
            {"name": "Torque", "nominal": 12.0, "lsl": 11.0, "usl": 13.0, "units": "Nm",
             "gauge_tag": GAUGE}])
        m.quality.configure_station("eve", "TORQUE-1", QC_TAGS)
        m.quality.configure_gauge("eve", GAUGE, "TORQUE-1", "Nm", 0.0, 50.0)
        m.workorder.release("erp", WO, "PUMP-100", "B", 1000, "2026-01-06 14:00", 100)
        m.workorder.release("erp", "WO-7002", "PUMP-100", "B", 50, "2026-01-07 14:00", 200)
        m.bom.set_lines(WO, [
            {"line_no": 10, "item_id": "RESIN-A", "qty_per": 0.25, "qty_required": 250.0,
             "uom": "KG", "op_seq": 10, "station": "PRESS-1"},
            {"line_no": 20, "item_id": "PCB-100", "qty_per": 1, "uom": "EA", "op_seq": 10},
        ], "eve")
        for lot_no, qty in (("L-100", 100000.0), ("L-101", 5.0)):
            call("mes.lot.receive", "RESIN-A", lot_no, qty, "KG", "ana", "2026-06-30", "quarantine")
            call("mes.lot.set_status", lot_no, "RESIN-A", "released", "quinn", "incoming passed")
        for number in range(1, 4):
            call("mes.serial.register", "PCB-100", "PCB-%04d" % number, "ana")
        m.material.open_output(WO, "PUMP-100", "OUT-1", "ana", "lot", "EA")
        for user, station in (("ana", "PRESS-1"), ("ben", "TORQUE-1"), ("cy", "TORQUE-2")):
            m.security.sign_in(user, user + "-pw", station)
        m.operation.start("ana", "PRESS-1", WO, 10)
        self.helpers["press_steps"](m, WO)

    # -- checks --------------------------------------------------------------------------------
    def _connection(self):
        if self._reader is None:
            self._reader = sqlite3.connect(self.path, isolation_level=None)
        return self._reader

    def version(self):
        """SQLite's data_version as seen by this reader: it moves when any other connection commits."""
        return self._connection().execute("PRAGMA data_version").fetchone()[0]

    def snapshot(self, skip=()):
        """Every row of every table (all but `skip`): equal snapshots mean nothing was written."""
        connection = self._connection()
        names = [r[0] for r in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return dict((n, connection.execute("SELECT * FROM \"%s\"" % n).fetchall())
                    for n in names if n not in skip)

    def _current(self):
        """(data_version, full snapshot), re-read only when something was committed since."""
        version = self.version()
        if self._cached is None or self._cached[0] != version:
            self._cached = (version, self.snapshot())
        return self._cached

    def attempt(self, area, dotted, *args, **kwargs):
        """Call `dotted`; the result, or a `Refused` after checking the refusal wrote nothing.

        Nothing committed (data_version unmoved) proves it at once; otherwise every table but the
        area's refusal logs is compared with the snapshot taken before the call.
        """
        logs = set(kwargs.pop("logs", ()))
        refused_if = kwargs.pop("refused_if", None)
        if logs:  # a logged refusal moves the log's AUTOINCREMENT counter
            logs.add("sqlite_sequence")
        CASES[area] += 1
        version, before = self._current()
        try:
            result = self.gw.call(dotted, *args, **kwargs)
        except self.mes_error as error:
            self._unchanged(dotted, error, version, before, logs)
            return Refused(error)
        if refused_if is not None and refused_if(result):
            self._unchanged(dotted, result, version, before, logs)
        return result

    def _unchanged(self, dotted, why, version, before, logs):
        if self.version() != version:
            after = self._current()[1]
            changed = sorted(n for n in set(before) | set(after)
                             if n not in logs and before.get(n) != after.get(n))
            assert not changed, "%s refused (%s) but changed %s" % (dotted, why, changed)

    def call(self, area, dotted, *args, **kwargs):
        """A function that writes nothing: its result, or a `Refused` for a typed refusal."""
        CASES[area] += 1
        try:
            return self.gw.call(dotted, *args, **kwargs)
        except self.mes_error as error:
            return Refused(error)

    def close(self):
        if self._reader is not None:
            self._reader.close()
        self.gw.shutdown()
