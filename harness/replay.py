"""Replays: a scenario file (JSON) of timed events and simulator settings, played on a gateway's
virtual clock, and a summary of what the MES made of it.

Python 2.7/3 common subset (runs unchanged under Jython: `python -m harness.replay FILE.json`).
The format is described in docs/replay.md. Every figure of the summary comes from `mes.*`
functions (OEE, work orders, outbox, genealogy); the runner only plays events and collects.
"""
from __future__ import absolute_import, division, print_function

import io
import json
import os
import sys

from .core.compat import JavaThrowable, string_types, text_type
from .core.gateway import Gateway
from .core.scenario import normalise

__all__ = ["ReplayError", "Replay", "load", "main", "parse_offset", "quiet_gateway_log", "run_replay",
           "scratch_folder"]



class ReplayError(ValueError):
    """A scenario file that cannot be played (the message names the bad value)."""


def parse_offset(value):
    """Seconds after the start: a number, or text "HH:MM" / "HH:MM:SS"."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, string_types):
        parts = value.split(":")
        if 2 <= len(parts) <= 3:
            try:
                numbers = [float(p) for p in parts] + [0.0] * (3 - len(parts))
            except ValueError:
                numbers = None
            if numbers is not None:
                return numbers[0] * 3600 + numbers[1] * 60 + numbers[2]
    raise ReplayError("event time %s is neither seconds nor HH:MM[:SS]" % (json.dumps(value),))


def load(path):
    """The scenario document of `path`, with its folder remembered for relative file names."""
    with io.open(path, encoding="utf-8") as handle:
        document = json.load(handle)
    if not isinstance(document, dict) or not isinstance(document.get("events", []), list):
        raise ReplayError("scenario %s is not an object with an events list" % (path,))
    document["_folder"] = os.path.dirname(os.path.abspath(path))
    return document


def scratch_folder():
    """A new temporary folder, in memory (/dev/shm) where there is one: SQLite commits cost no fsync."""
    import tempfile
    shm = "/dev/shm"
    base = shm if os.path.isdir(shm) and os.access(shm, os.W_OK) else None
    return tempfile.mkdtemp(prefix="genba-replay-", dir=base)


def _epoch_ms(dt):
    import calendar
    return int(calendar.timegm(dt.timetuple())) * 1000 + dt.microsecond // 1000


class Replay(object):
    """Plays one scenario document on a gateway built by `start()`.

    Args:
        scenario: the document (`load(path)`).
        database: SQLAlchemy-style URL of the database (default: SQLite in `workdir`).
        hours: replay length override (the scenario's `hours` otherwise).
        progress: callable(done_seconds, total_seconds) called as virtual time passes.
    """

    def __init__(self, scenario, database=None, hours=None, progress=None, workdir=None):
        self.scenario = scenario
        self.folder = scenario.get("_folder", os.getcwd())
        self.hours = float(hours if hours is not None else scenario.get("hours", 1))
        self.total = self.hours * 3600.0
        self.progress = progress
        self.database = database
        self.workdir = workdir
        self.saved = {}
        self.log = []
        self.gw = None
        self.plant = None
        self.driver = None
        self.elapsed = 0.0
        self.start_ms = None

    # -- set-up --------------------------------------------------------------------------------
    def _path(self, name):
        return name if os.path.isabs(name) else os.path.join(self.folder, name)

    def _read_text(self, name):
        with io.open(self._path(name), encoding="utf-8") as handle:
            return handle.read()

    def oee_config(self):
        config = self.scenario.get("oee_config")
        if isinstance(config, string_types):
            with io.open(self._path(config), encoding="utf-8") as handle:
                config = json.load(handle)
        return config

    def start(self):
        project = self.scenario.get("project", "project")
        if self.database is None:
            folder = self.workdir or scratch_folder()
            self.database = "sqlite:///" + os.path.join(folder, "genba.db").replace(os.sep, "/")
        self.gw = Gateway(project=project, clock="virtual", start=self.scenario.get("start"),
                          databases={"genba": self.database}, default_database="genba", autostart=False)
        timers = self.scenario.get("timers", {})
        for event in self.gw.events.timers:
            if event.name in timers:
                event.config = dict(event.config, delay=timers[event.name])
        if "net" not in dir(self.gw.system):
            from .core import net
            from .core.system.namespace import Namespace
            self.gw.system.net = Namespace("system.net", {"httpClient": net.httpClient})
        self.gw.start()
        self.start_ms = _epoch_ms(self.gw.clock.now())
        config = self.oee_config()
        if config:
            self.gw.call("mes.oeeconfig.configure", config)
        return self.gw

    def start_plant(self, settings):
        from simulator.direct import DirectDriver
        from simulator.plant import load_plant
        self.plant = load_plant(self.gw.project_dir, seed=settings.get("seed", 0),
                                profile=settings.get("profile", "realistic"),
                                overrides=settings.get("overrides"))
        self.driver = DirectDriver(self.plant, self.gw.tags, self.gw.clock,
                                   period=settings.get("period", 1.0)).attach(self.gw.tags).start()

    # -- values --------------------------------------------------------------------------------
    def resolve(self, value):
        """Arguments with references: "$name" / "$name.key" (saved results), "$start_ms",
        "$now_ms", {"file": path} (text of a file), {"ms": "HH:MM"} (epoch ms of an offset)."""
        if isinstance(value, string_types) and value.startswith("$"):
            name = value[1:]
            if name == "start_ms":
                return self.start_ms
            if name == "now_ms":
                return _epoch_ms(self.gw.clock.now())
            head, _, rest = name.partition(".")
            if head not in self.saved:
                raise ReplayError("reference %s names no saved result" % (value,))
            result = self.saved[head]
            for key in rest.split(".") if rest else []:
                result = result[int(key)] if isinstance(result, list) else result[key]
            return result
        if isinstance(value, dict):
            if len(value) == 1 and "file" in value:
                return self._read_text(value["file"])
            if len(value) == 1 and "ms" in value:
                return self.start_ms + int(parse_offset(value["ms"]) * 1000)
            return dict((k, self.resolve(v)) for k, v in value.items())
        if isinstance(value, list):
            return [self.resolve(v) for v in value]
        return value

    # -- events --------------------------------------------------------------------------------
    def machine(self, name):
        if self.plant is None:
            raise ReplayError("event names machine %s but the scenario has no plant" % (name,))
        for path in sorted(self.plant.machines):
            if path == name or path.endswith("/" + name):
                return self.plant.machines[path]
        raise ReplayError("no machine %s in the plant" % (name,))

    def apply(self, event):
        kind = event.get("do")
        if kind == "call" and "each" in event:
            results = []
            for item in self.resolve(event["each"]):
                self.saved["item"] = item
                results.append(self.apply(dict((k, v) for k, v in event.items() if k != "each")))
            return results
        if kind == "call":
            args = self.resolve(event.get("args", []))
            kwargs = self.resolve(event.get("kwargs", {}))
            return self.gw.call(event["fn"], *args, **dict((str(k), v) for k, v in kwargs.items()))
        if kind == "update":
            self.gw.update(event["tag"], self.resolve(event["value"]), event.get("quality"))
            return None
        if kind == "write":
            return text_type(self.gw.write(event["tag"], self.resolve(event["value"])))
        if kind == "readings":
            every = float(event.get("every", 1.0))
            for value in event["values"]:
                self._advance(every)
                self.gw.update(event["tag"], value)
            return len(event["values"])
        if kind == "message":
            return self.gw.system.util.sendRequest(self.gw.project_name, event["handler"],
                                                   self.resolve(event.get("payload", {})))
        if kind == "sql":
            return self.gw.system.db.runPrepUpdate(event["sql"], self.resolve(event.get("args", [])))
        if kind == "plant":
            self.start_plant(event)
            return None
        if kind in ("fault", "plan_stop", "changeover"):
            model = self.machine(event["machine"])
            if kind == "fault":
                model.fault(int(event["code"]), float(event["seconds"]))
            else:
                getattr(model, kind)(float(event["seconds"]))
            return None
        if kind == "drift":
            # a gauge drifting from now on at `per_hour`, continuous at this instant
            gauge = getattr(self.machine(event["machine"]), event.get("sensor", "gauge"))
            per_hour = float(event["per_hour"])
            gauge.shift -= (per_hour - gauge.trend_per_hour) * gauge.hours
            gauge.trend_per_hour = per_hour
            if event.get("reset"):
                gauge.shift = 0.0
            return None
        if kind == "set":
            target = self.machine(event["machine"])
            names = event["attr"].split(".")
            for name in names[:-1]:
                target = getattr(target, name)
            setattr(target, names[-1], event["value"])
            return None
        raise ReplayError("unknown event kind %s" % (json.dumps(kind),))

    def play_event(self, event):
        entry = {"at": event["_at"], "do": event.get("do"), "what": event.get("label") or event.get("fn")
                 or event.get("tag") or event.get("machine")}
        expect = event.get("expect")
        try:
            result = self.apply(event)
        except ReplayError:
            raise
        except (Exception, JavaThrowable) as error:
            code = getattr(error, "code", None) or type(error).__name__
            if expect != "refused":
                raise ReplayError("event at %s (%s) failed: %s: %s"
                                  % (event["_at"], entry["what"], code, error))
            entry["refused"] = code
            self.log.append(entry)
            return
        if expect == "refused":
            raise ReplayError("event at %s (%s) was expected to be refused" % (event["_at"], entry["what"]))
        if event.get("save"):
            self.saved[event["save"]] = result
        if event.get("log"):
            entry["result"] = result
        self.log.append(entry)

    def _advance(self, seconds):
        if seconds > 0:
            self.gw.clock.advance(seconds)
            self.elapsed += seconds

    def _advance_to(self, offset, chunk=300.0):
        while self.elapsed < offset - 1e-9:
            self._advance(min(chunk, offset - self.elapsed))
            if self.progress is not None:
                self.progress(min(self.elapsed, self.total), self.total)

    def events(self):
        timed = []
        for index, event in enumerate(self.scenario.get("events", [])):
            event = dict(event)
            offset = parse_offset(event.get("at", 0))
            event["_at"] = event.get("at", 0)
            timed.append((offset, index, event))
        timed.sort(key=lambda item: (item[0], item[1]))
        return timed

    def play(self):
        """Start, play every event in time order up to the end, stop the plant; the summary."""
        if self.gw is None:
            self.start()
        if self.scenario.get("plant") is not None:
            self.start_plant(self.scenario["plant"])
        for offset, _, event in self.events():
            if offset > self.total:
                break
            self._advance_to(offset)
            self.play_event(event)
        self._advance_to(self.total)
        if self.driver is not None:
            self.driver.stop()
        self.gw.settle()
        return self.summary()

    # -- summary -------------------------------------------------------------------------------
    def summary(self):
        end_ms = self.start_ms + int(self.total * 1000)
        call = self.gw.call
        config = self.oee_config() or {}
        machines = {}
        for machine in config.get("machines", []):
            k = call("mes.oeelive.machine_kpis", machine["machine_id"], self.start_ms, end_ms)
            machines[machine["machine_id"]] = {
                "A": k["A"], "P": k["P"], "Q": k["Q"], "OEE": k["OEE"], "good": k["GQ"], "total": k["PQ"],
                "downtime_s": dict((row["reason"], row["duration_ms"] // 1000) for row in k["pareto"]),
                "downtime_events": dict((row["reason"], row["events"]) for row in k["pareto"])}
        lines = {}
        for line in config.get("lines", []):
            k = call("mes.oeelive.line_kpis", line["line_id"], self.start_ms, end_ms)
            lines[line["line_id"]] = {"A": k["A"], "P": k["P"], "Q": k["Q"], "OEE": k["OEE"]}
        orders = {}
        for order in call("mes.workorder.list_orders"):
            operations = []
            for op in call("mes.workorder.operations", order["wo_id"]):
                operations.append([op["op_seq"], op["status"], op.get("qty_good"), op.get("qty_scrap")])
            orders[order["wo_id"]] = {"status": order["status"], "item": order["item_id"],
                                      "released": order["qty_released"], "operations": operations}
        outbox = []
        for message in call("mes.outbox.messages"):
            outbox.append([message["message_id"], message["kind"], message["key"], message["status"]])
        holds = []
        for row in self.gw.system.db.runPrepQuery(
                "SELECT subject_kind, subject, reason, status FROM qc_holds ORDER BY id", []):
            holds.append([row[0], row[1], row[2], row[3]])
        traces = {}
        for spec in self.scenario.get("traces", []):
            trace = call("mes.genealogy.trace", spec.get("lot"), spec.get("serial"), spec.get("item_id"),
                         spec.get("direction", "forward"))
            traces[spec.get("name", spec.get("lot") or spec.get("serial"))] = sorted(
                [node["code"], node["item_id"], node["depth"]] for node in trace["nodes"])
        result = {"scenario": self.scenario.get("name"), "hours": self.hours, "machines": machines,
                  "lines": lines, "work_orders": orders, "holds": holds, "outbox": outbox,
                  "outbox_counts": call("mes.outbox.status_counts"), "traces": traces,
                  "events": self.log}
        if self.plant is not None:
            result["plant_parts"] = sum(m.totals()["infeed"] for m in self.plant.machines.values())
            result["plant_outfeed"] = sum(m.totals()["outfeed"] for m in self.plant.machines.values())
        return normalise(result)

    def close(self):
        if self.gw is not None:
            self.gw.shutdown()


def _cpu_seconds():
    """CPU seconds of this process so far (on Jython: the JVM's, JIT and GC threads included)."""
    try:
        from java.lang.management import ManagementFactory
        return ManagementFactory.getOperatingSystemMXBean().getProcessCpuTime() / 1e9
    except ImportError:
        import time
        return time.process_time()


def run_replay(path, database=None, hours=None, progress=None, workdir=None, timing=None):
    """Play the scenario file at `path`; its summary. `timing` (a dict) gets `play_s`, the wall
    seconds from the started gateway to the end of the replay, and `play_cpu_s`, the CPU
    seconds of the process over the same span (benchmarks on a shared machine)."""
    cleanup = None
    if database is None and workdir is None:
        workdir = cleanup = scratch_folder()
    replay = Replay(load(path), database, hours, progress, workdir)
    try:
        if timing is None:
            return replay.play()
        import time
        replay.start()
        started, cpu = time.time(), _cpu_seconds()
        summary = replay.play()
        timing["play_s"] = time.time() - started
        timing["play_cpu_s"] = _cpu_seconds() - cpu
        return summary
    finally:
        replay.close()
        if cleanup is not None:
            import shutil
            shutil.rmtree(cleanup, ignore_errors=True)


def quiet_gateway_log():
    """Gateway log records stay in the gateway (gw.log) instead of going to stderr."""
    import logging
    logger = logging.getLogger("gateway")
    logger.propagate = False
    logger.addHandler(logging.NullHandler())
    logging.getLogger().addHandler(logging.NullHandler())  # script loggers: no last-resort stderr


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    quiet_gateway_log()
    database = hours = None
    timing = None
    paths = []
    while argv:
        item = argv.pop(0)
        if item == "--db":
            database = argv.pop(0)
        elif item == "--time":
            timing = {}
        elif item == "--hours":
            hours = float(argv.pop(0))
        else:
            paths.append(item)
    if len(paths) != 1:
        print("usage: python -m harness.replay SCENARIO.json [--db URL] [--hours H]")
        return 2
    summary = run_replay(paths[0], database, hours, timing=timing)
    if timing is not None:
        sys.stderr.write("play_s %.3f\n" % timing["play_s"])
        sys.stderr.write("play_cpu_s %.3f\n" % timing["play_cpu_s"])
    sys.stdout.write(json.dumps(summary, sort_keys=True, indent=1, separators=(",", ": ")) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
