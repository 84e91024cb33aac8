"""Chaos soak: a virtual-time replay of the whole plant while faults strike at seeded times, then
the invariants and the simulator's truth.

The simulator drives the gateway's OPC tags directly (direct mode) on the gateway's virtual clock;
the project's own events and timers do the MES work (OEE intervals and counts, the ERP outbox);
an ERP stand-in listens on loopback. Faults, at times drawn from `random.Random(seed)`:

- counter_reset: a machine's PLC restarts (counters to 0, true totals kept by the simulator);
- stale: a counter tag turns Bad_Stale with its last value for a while;
- bad_quality: a machine's State tag turns Bad_NotConnected for a while;
- db_outage: the database refuses connections for 1-5 minutes (store-and-forward, skipped ticks);
- erp_outage: the ERP refuses connections for its next 3-10 requests;
- duplicate_ack: the ERP records a message but answers as if it were a duplicate (409);
- lost_ack: the ERP records a message but the answer is lost (500);
- gateway_restart: `gw.restart()`; the device then delivers its current values again.

Meanwhile operators work on Line 2 (`Floor`): work orders released, dispatched and completed at
the press, lots received, labels scanned (bad lots refused, scans refused during a database
outage read again after it), the torque gauge booked. With `opcua=True` (`OpcUaSoak`) the plant
runs inside the simulator's OPC UA server on 127.0.0.1 and reaches the gateway through the
harness bridge, and OPC UA server restarts and connection drops join the faults.

Afterwards (faults healed, outbox drained) every invariant must hold, per machine the OEE
produced quantity (sum of PQ) and scrap (sum of SQ) must equal the simulator's true outfeed and
reject totals, and the floor's consumption and gauge readings must be booked once each.
`run_soak` returns one JSON-ready report.
"""
from __future__ import annotations

import collections
import datetime
import io
import json
import os
import random
import tempfile

from harness import Gateway, invariants
from harness.core.db import SwitchableConnector
from harness.erp_standin import ErpStandin
from simulator.direct import DirectDriver
from simulator.plant import load_plant

START = "2026-01-05T06:00:00"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OEE_CONFIG = os.path.join(ROOT, "tests", "scenarios", "oee_plant.json")
ERP_CASES = os.path.join(ROOT, "tests", "cases", "erp")
KINDS = ("counter_reset", "stale", "bad_quality", "db_outage", "erp_outage", "duplicate_ack", "lost_ack",
         "gateway_restart")
#: Faults per virtual hour of each kind (at least one of each in any soak).
RATE = {"counter_reset": 2, "stale": 3, "bad_quality": 3, "db_outage": 1, "erp_outage": 1,
        "duplicate_ack": 1, "lost_ack": 1, "gateway_restart": 1}
STEP_S = 30
#: A PLC restart while the device link is down (OPC UA mode) resets a counter the gateway cannot
#: see: the parts made between the last delivered value and the restart never reach any gateway.
#: That is the plant's loss, not the gateway's, so the soak keeps a PLC restart a minute clear of a
#: link loss unless `overlap=True`. Database outages do not matter: the counts are kept in tags.


def _read(path):
    with io.open(path, encoding="utf-8") as handle:
        return handle.read()


def _error_source(error):
    """Where a gateway script error came from (the event's name), for the report."""
    origin = str(getattr(error, "origin", "") or "")
    return "%s (%s)" % (origin.split(" [")[0], type(getattr(error, "exception", error)).__name__)


def plan_faults(hours, seed, kinds=KINDS):
    """[(second, kind)] sorted: each kind RATE times per hour (at least once) at seeded times."""
    rng = random.Random(seed)
    total = int(hours * 3600)
    faults = []
    for kind in kinds:
        for _ in range(max(1, int(round(RATE[kind] * hours)))):
            faults.append((rng.randrange(STEP_S, max(STEP_S + 1, total - 600)), kind))
    return sorted(faults), rng


LINE2 = "[default]Genba/Plant1/Assembly/Line2/"
DISPATCH_PLANT = os.path.join(ROOT, "tests", "scenarios", "_dispatch_plant.py")


def _load_dispatch_plant():
    namespace = {"__file__": DISPATCH_PLANT}
    exec(compile(_read(DISPATCH_PLANT), DISPATCH_PLANT, "exec"), namespace)
    return namespace


class Floor(object):
    """Operators on Line 2 during the soak: every CYCLE_S a work order is released and dispatched
    at the press, a released and a quarantined lot are received, the press scanner reads the good
    lot's label (1 KG each) and once the quarantined one (refused), the output lot is produced
    and the operation completed; the torque station's gauge is booked to the order's operation 20.

    Operator actions wait while the database is down; scans do not: a scan refused with
    `database_unavailable` is read again once it is back. Afterwards `report()` compares what was
    done with what the database holds: consumed quantity, every gauge reading booked once and in
    arrival order, nothing left in the queue of kept readings.
    """

    CYCLE_S = 600
    GAUGE = LINE2 + "TorqueStation1/Torque"
    SCANNER = LINE2 + "Press/LastScan"
    SCAN_STEPS = (60, 120, 180, 240, 300, 360, 420)
    BAD_SCAN_STEP = 270
    LOT_KG = 10.0

    def __init__(self, soak):
        self.soak = soak
        self.cycle = 0
        self.cycle_start = None
        self.stage = "idle"
        self.done_scans = set()
        self.rescans = []
        self.counts = collections.Counter()
        self.readings = 0
        self.nudge, self.last_scan_at = 0, None
        self.todo = []
        self.since = None  # count only readings after this gateway time (None: all)

    @property
    def gw(self):
        return self.soak.gw

    def setup(self):
        helpers = _load_dispatch_plant()
        self.helpers = helpers
        self.m = m = helpers["build"](self.gw)
        m.item.define("eve", "RESIN-A", "A", "PP resin", "KG", "lot")
        m.material.assign_gtin("eve", "09501101530003", "RESIN-A")
        m.inspection.define_plan("eve", "PUMP-100", "B", 20, [
            {"name": "Torque", "nominal": 8.0, "lsl": 7.0, "usl": 9.0, "units": "Nm", "gauge_tag": self.GAUGE}])
        m.quality.configure_station("eve", "TORQUE-1")
        m.quality.configure_gauge("eve", self.GAUGE, "TORQUE-1", "Nm", 0.0, 50.0)
        m.security.sign_in("ana", "ana-pw", "PRESS-1")
        self.listen()

    def listen(self):
        """Count the gauge readings the gateway's tag event sees (again after a gateway restart)."""
        def seen(path, previous, current, changes, initial):
            again = (previous is not None and not previous.quality.isGood() and current.quality.isGood()
                     and previous.value == current.value)  # the link came back: the event skips it
            if not initial and changes and not again and (self.since is None or self.gw.clock.now() > self.since):
                self.readings += 1
                if not self.soak.switch.available:
                    self.counts["gauge_readings_during_db_outage"] += 1
        self.gw.tags.subscribe([self.GAUGE], seen)

    def _names(self):
        n = self.cycle
        return "WO-S%04d" % n, "R-%04d" % n, "Q-%04d" % n, "OUT-%04d" % n

    def tick(self, second, db_up, device_up=True):
        if self.rescans and db_up:
            for label in self.rescans:
                self._scan(label, rescan=True)
            self.rescans = []
        if self.stage == "idle" and db_up and device_up:
            self._start_cycle(second)
        if self.stage != "running":
            return
        age = second - self.cycle_start
        wo, good, bad, out = self._names()
        for at in self.SCAN_STEPS:
            if at <= age and at not in self.done_scans:
                self.done_scans.add(at)
                self._scan(u"(01)09501101530003(10)%s(30)1" % good)
        if self.BAD_SCAN_STEP <= age and self.BAD_SCAN_STEP not in self.done_scans and db_up:
            self.done_scans.add(self.BAD_SCAN_STEP)
            self._scan(u"(01)09501101530003(10)%s(30)1" % bad, expect="lot_quarantined")
        if age >= self.CYCLE_S - 60 and db_up and device_up and not self.rescans:
            self._finish_cycle()

    def _start_cycle(self, second):
        if not self.todo:
            self.cycle += 1
            self.todo = self._cycle_steps()
        if not self._run_steps():
            return
        self.counts["work_orders"] += 1
        self.cycle_start, self.stage, self.done_scans = second, "running", set()

    def _run_steps(self):
        """Run the pending operator steps in order; False when the plant's link refused one (it is
        tried again on the next tick, the steps before it are not repeated)."""
        while self.todo:
            try:
                self.todo[0]()
            except Exception as error:  # noqa: BLE001 - a step the plant's link refused is tried again
                if getattr(error, "code", None) != "interlock_write_failed":
                    raise
                self.counts["actions_retried"] += 1
                return False
            self.todo.pop(0)
        return True

    def _cycle_steps(self):
        m, call = self.m, self.gw.call
        wo, good, bad, out = self._names()
        steps = [lambda: m.workorder.release("erp", wo, "PUMP-100", "B", 40, "2026-01-31 14:00", 100),
                 lambda: m.bom.set_lines(wo, [{"line_no": 10, "item_id": "RESIN-A", "qty_per": 0.25, "uom": "KG",
                                               "op_seq": 10, "station": "PRESS-1"}], "eve")]
        for lot in (good, bad):
            steps.append(lambda lot=lot: call("mes.lot.receive", "RESIN-A", lot, self.LOT_KG, "KG", "ana",
                                              "2026-06-30", "quarantine"))
            steps.append(lambda: self.counts.update(["lots_received"]))
        steps += [lambda: call("mes.lot.set_status", good, "RESIN-A", "released", "quinn", "incoming passed"),
                  lambda: m.material.open_output(wo, "PUMP-100", out, "ana", "lot", "EA"),
                  lambda: m.operation.start("ana", "PRESS-1", wo, 10),
                  lambda: self.helpers["press_steps"](m, wo),
                  lambda: m.quality.set_context("TORQUE-1", "PUMP-100", "B", wo, 20)]
        return steps

    def _finish_cycle(self):
        wo, good, bad, out = self._names()
        made = max(1, int(self.counts["cycle_consumed"]))
        if not self.todo:
            self.todo = [lambda: self.m.material.report_production(wo, made, "ana"),
                         lambda: self.m.operation.complete("ana", "PRESS-1", wo, 10, made)]
        if not self._run_steps():
            return
        self.counts["units_produced"] += made
        self.counts["work_orders_completed"] += 1
        self.counts["cycle_consumed"] = 0
        self.stage = "idle"

    def _scan(self, label, expect=None, rescan=False):
        # every read is a new tag change, even the same label twice within one clock instant
        now = self.gw.clock.now()
        self.nudge = self.nudge + 1 if now == self.last_scan_at else 0
        self.last_scan_at = now
        stamp = now + datetime.timedelta(milliseconds=self.nudge)
        self.gw.system.tag.writeBlocking([LINE2 + "Press/ScanResult"], [""])
        self.gw.update(self.SCANNER, label, None, stamp)
        result = [self.gw.read(LINE2 + "Press/" + n).value for n in ("ScanResult", "ScanError")]
        self.counts["scans"] += 1
        if rescan:
            self.counts["rescans"] += 1
        if result == ["consumed", ""]:
            self.counts["consumed_kg"] += 1
            self.counts["cycle_consumed"] += 1
        elif result == ["rejected", "database_unavailable"]:
            self.counts["refused_database_unavailable"] += 1
            self.rescans.append(label)
        elif expect is not None and result == ["rejected", expect]:
            self.counts["refused_" + expect] += 1
        else:
            self.counts["unexpected"] += 1
            self.soak.notes.append("scan %r: %r" % (label, result))

    def heal(self):
        """After the faults: rescan what the outage refused."""
        for label in self.rescans:
            self._scan(label, rescan=True)
        self.rescans = []

    def report(self, query):
        consumed = query("SELECT SUM(qty) FROM lot_transactions WHERE kind = 'consumption'")[0][0] or 0.0
        measured = [(int(r[0]), r[1]) for r in query(
            "SELECT id, measured_at FROM qc_measurements WHERE station_id = 'TORQUE-1' AND source = 'gauge' ORDER BY id")
            if self.since is None or r[1] > self.since]
        refused = len([r for r in query(
            "SELECT received_at FROM qc_refused_readings WHERE station_id = 'TORQUE-1' AND source = 'gauge'")
            if self.since is None or r[0] > self.since])
        pending = query("SELECT COUNT(*) FROM qc_pending_readings")[0][0]
        in_order = all(measured[i][1] <= measured[i + 1][1] for i in range(len(measured) - 1))
        scans = dict((r[0] + ("" if r[1] is None else "/" + r[1]), int(r[2])) for r in query(
            "SELECT outcome, error_code, COUNT(*) FROM material_scans GROUP BY outcome, error_code"))
        result = dict((k, int(v)) for k, v in self.counts.items() if k != "cycle_consumed")
        result.update({
            "consumed_kg_journal": -float(consumed), "scan_log": scans,
            "gauge": {"delivered": self.readings, "measured": len(measured), "refused": int(refused),
                      "pending": int(pending), "in_arrival_order": in_order},
        })
        result["ok"] = (abs(result["consumed_kg_journal"] - self.counts["consumed_kg"]) < 1e-6
                        and self.readings == len(measured) + int(refused) and int(pending) == 0 and in_order
                        and not self.counts["unexpected"] and not self.rescans)
        return result


class Soak:
    def __init__(self, hours, seed, db_url=None, period=2.0, project=None, kinds=KINDS, overlap=False, floor=True):
        self.hours, self.seed, self.period, self.kinds = hours, seed, period, tuple(kinds)
        self.floor = Floor(self) if floor else None
        self.notes = []
        self.overlap = overlap
        self.project = project or os.path.join(ROOT, "project")
        self._tmp = None
        if db_url is None:
            self._tmp = tempfile.mkdtemp(prefix="genba-soak-")
            db_url = "sqlite:///" + os.path.join(self._tmp, "soak.db")
        self.db_url = db_url
        self.injected = collections.Counter()
        self.restore = []  # [(second, callable)]

    # -- set-up ------------------------------------------------------------------------------
    def _boot(self):
        self.gw = Gateway(project=self.project, clock="virtual", start=START,
                          databases={"genba": self.db_url}, default_database="genba")
        self._net()
        with open(OEE_CONFIG) as handle:
            self.oee = json.load(handle)
        self.gw.call("mes.oeeconfig.configure", self.oee)
        self.plant = load_plant(self.project, seed=self.seed, profile="realistic")
        self.driver = DirectDriver(self.plant, self.gw.tags, self.gw.clock, period=self.period)
        self.driver.attach(self.gw.tags).start()
        self._switch()
        self.erp = ErpStandin().start()
        db = self.gw.system.db
        for name, value in (("outbox.url.b2mml", self.erp.url + "/b2mml"), ("outbox.timeout_ms", "2000"),
                            ("outbox.backoff_ms", "5000"), ("outbox.max_backoff_ms", "60000"),
                            ("inbound.release", "record")):
            db.runPrepUpdate("INSERT INTO erp_settings (name, value) VALUES (?, ?)", [name, value])
        self.gw.call("mes.erpinbound.receive", _read(os.path.join(ERP_CASES, "material_v0600.xml")), "soak")
        self.gw.call("mes.erpinbound.receive", _read(os.path.join(ERP_CASES, "schedule_v0600.xml")), "soak")
        if self.floor is not None:
            self.floor.setup()

    def _net(self):
        """system.net.httpClient for the outbox (to the stand-in on loopback)."""
        from harness.core import net
        from harness.core.system.namespace import Namespace
        if "net" not in dir(self.gw.system) or "httpClient" not in dir(self.gw.system.net):
            self.gw.system.net = Namespace("system.net", {"httpClient": net.httpClient})

    def _switch(self):
        service = self.gw.system.db._service
        self.switch = SwitchableConnector(service.connector("genba"))
        service.set_connector("genba", self.switch)

    def _machine_paths(self):
        return ["[default]" + m["source_path"] for m in self.oee["machines"]]

    # -- faults ------------------------------------------------------------------------------
    def _inject(self, second, kind, rng):
        gw, paths = self.gw, self._machine_paths()
        if kind == "gateway_restart" and not self.switch.available:
            kind = "stale"  # a restart during an outage would lose the outage's switch
        soon = any(at - second <= 60 and k == "opcua_restart" for at, k in self.plan if at >= second)
        if kind == "counter_reset" and (self._link_trouble(second) or soon) and not self.overlap:
            kind = "stale"  # a restart the gateway cannot see (above)
        self.injected[kind] += 1
        self._strike(second, kind, rng)

    def _strike(self, second, kind, rng):
        gw, paths = self.gw, self._machine_paths()
        if kind == "counter_reset":
            self.plant.machines[rng.choice(paths)].restart()
        elif kind == "stale":
            path = rng.choice(paths) + "/" + rng.choice(["OutfeedCount", "RejectCount"])
            gw.update(path, gw.read(path).value, "Bad_Stale")
            self.restore.append((second + rng.randrange(10, 120), lambda p=path: self._redeliver(p)))
        elif kind == "bad_quality":
            path = rng.choice(paths) + "/State"
            gw.update(path, gw.read(path).value, "Bad_NotConnected")
            self.restore.append((second + rng.randrange(10, 120), lambda p=path: self._redeliver(p)))
        elif kind == "db_outage":
            self.switch.available = False
            self.restore.append((second + rng.randrange(60, 300), self._db_back))
        elif kind == "erp_outage":
            self.erp.misbehave("refuse", rng.randrange(3, 10))
        elif kind == "duplicate_ack":
            self.erp.misbehave("duplicate_ack", 1)
        elif kind == "lost_ack":
            self.erp.misbehave("lost_ack", 1)
        elif kind == "gateway_restart":
            self.driver.stop()
            gw.restart()
            gw.settle()  # the start-up (initial) events run before the device delivers again
            self._net()
            self._switch()
            self.driver.sink = gw.tags
            self.driver.attach(gw.tags)
            self.driver.pushed = {}
            if self.floor is not None:
                self.floor.listen()
            self.driver.start()

    def _advance(self, seconds):
        self.gw.clock.advance(seconds)

    def _stop_plant(self):
        self.driver.stop()

    def _db_back(self):
        self.switch.available = True

    def _link_trouble(self, second):
        """True while (or a minute after) the device link is down (OPC UA mode only)."""
        return False

    def _device_up(self):
        """Whether a script's write to a machine (the Permissive interlock) can reach it now."""
        return True

    def _redeliver(self, path):
        """The device delivers the tag again, Good, with its current value."""
        self.driver.pushed.pop(path, None)
        self.driver.pushed = dict((k, v) for k, v in self.driver.pushed.items() if not str(k).endswith(path[len("[default]"):]))
        self.driver.push()
        qv = self.gw.read(path)
        if not qv.quality.isGood():
            self.gw.update(path, qv.value)

    # -- the run -----------------------------------------------------------------------------
    def run(self):
        self._boot()
        faults, rng = plan_faults(self.hours, self.seed, self.kinds)
        self.plan = list(faults)
        total = int(self.hours * 3600)
        wos = ["WO-1001"]
        second, completions = 0, 0
        self._second = 0
        every = max(60, min(600, (total // 4) // STEP_S * STEP_S))
        pending = list(faults)
        while second < total:
            self._advance(STEP_S)
            second += STEP_S
            self._second = second
            for due, action in sorted(self.restore, key=lambda r: r[0]):
                if due <= second:
                    action()
            self.restore = [r for r in self.restore if r[0] > second]
            while pending and pending[0][0] <= second:
                self._inject(second, pending.pop(0)[1], rng)
            if second % every == 0 and self.switch.available:
                self.gw.call("mes.erpperformance.record_completion", wos[0], "10", 10)
                completions += 1
            if self.floor is not None:
                self.floor.tick(second, self.switch.available, self._device_up())
        # heal: everything back, then let the outbox and store-and-forward drain
        for _, action in self.restore:
            action()
        self.restore = []
        self.switch.available = True
        self.erp.behave()
        self._stop_plant()
        self.gw.clock.advance(30)
        if self.floor is not None:
            self.floor.heal()
        self.gw.clock.advance(870)
        return self._report(completions)

    def _report(self, completions):
        gw = self.gw
        now_ms = gw.system.date.toMillis(gw.system.date.now())
        results = invariants.check_all(gw, received_keys=self.erp.keys(), until_ms=now_ms)
        truth = []
        counted = dict((r[0], (int(r[1] or 0), int(r[2] or 0))) for r in invariants.gateway_query(gw)(
            "SELECT machine_id, SUM(pq) AS pq_sum, SUM(sq) AS sq_sum FROM oee_count_intervals GROUP BY machine_id"))
        for machine in self.oee["machines"]:
            totals = self.plant.machines["[default]" + machine["source_path"]].totals()
            got = counted.get(machine["machine_id"], (0, 0))
            truth.append({"machine": machine["machine_id"], "outfeed": totals["outfeed"], "pq": got[0],
                          "reject": totals["reject"], "sq": got[1]})
        lost = sum(max(0, t["outfeed"] - t["pq"]) + max(0, t["reject"] - t["sq"]) for t in truth)
        duplicated = sum(max(0, t["pq"] - t["outfeed"]) + max(0, t["sq"] - t["reject"]) for t in truth)
        outbox = gw.call("mes.outbox.status_counts")
        sent = int(outbox.get("sent", 0))
        erp_dupes = sum(1 for r in self.erp.requests if r.get("duplicate"))
        report = {
            "hours": self.hours, "seed": self.seed, "database": self.db_url.split(":", 1)[0], "mode": "direct",
            "faults": dict(self.injected), "faults_total": sum(self.injected.values()),
            "invariants": [r.as_dict() for r in results],
            "records_checked": sum(r.checked for r in results),
            "truth": truth, "parts_lost": lost, "parts_duplicated": duplicated,
            "erp": {"completions": completions, "queued": sum(int(v) for v in outbox.values()), "sent": sent,
                    "received_in_effect": len(self.erp.keys()), "redeliveries_deduplicated": erp_dupes,
                    "not_sent": sum(int(v) for k, v in outbox.items() if k != "sent")},
            "script_errors": len(gw.errors),
            "script_error_sources": dict(collections.Counter(_error_source(e) for e in gw.errors)),
            "notes": self.notes[:20],
        }
        if self.floor is not None:
            report["floor"] = self.floor.report(invariants.gateway_query(gw))
        report["ok"] = (all(r.ok for r in results) and lost == 0 and duplicated == 0
                        and report["erp"]["not_sent"] == 0 and report["erp"]["received_in_effect"] == completions
                        and (self.floor is None or report["floor"]["ok"]))
        return report

    def close(self):
        try:
            self.erp.stop()
        finally:
            self.gw.shutdown()


OPCUA_KINDS = KINDS + ("opcua_restart", "opcua_drop")
RATE.update({"opcua_restart": 2, "opcua_drop": 2})
#: Seconds of plant time per OPC UA server tick in OPC UA mode.
OPCUA_TICK_S = 30


class OpcUaSoak(Soak):
    """The soak through the real OPC UA path: the simulator's asyncua server on 127.0.0.1 steps the
    plant (OPCUA_TICK_S per tick) and the harness bridge feeds the gateway's OPC tags. After each
    tick the bridge is pumped until the gateway holds the plant's counters and states (unless the
    link is down). Device faults strike at the server: a stale counter is a frozen node, a bad
    State a node with BadSensorFailure, `opcua_restart` kills the server for 20-120 s of plant time
    (the plant keeps producing), `opcua_drop` cuts every client connection; a gateway restart
    starts a new bridge."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("kinds", OPCUA_KINDS)
        Soak.__init__(self, *args, **kwargs)
        self.server_down = False
        self.link_back_at = -10 ** 9
        self.disturbed = set()
        self.served = None
        self.bridge = None
        self.stalls = 0
        self.link_totals = collections.Counter()  # of the bridges a gateway restart retired

    def _boot(self):
        from simulator.testing import ServedSimulator
        Soak._boot(self)
        self.driver.stop()  # the server steps the plant from here on
        self.served = ServedSimulator(self.plant, auto_step=False)
        self.served.__enter__()
        self._watch = sorted(p for p in self.plant.by_path if p.rsplit("/", 1)[-1] in (
            "OutfeedCount", "RejectCount", "State"))
        self._connect()
        if self.floor is not None:  # the bridge's first values prime the tags: readings count from here
            self.floor.readings, self.floor.since = 0, self.gw.clock.now()

    def _connect(self):
        from harness.opcua_bridge import OpcUaBridge
        self.bridge = OpcUaBridge(self.gw, self.served.endpoint, rates={"Default": 100, "Fast": 100},
                                  watchdog=0.3, reconnect_delay=0.1).start()
        if not self.bridge.wait_connected(60):
            raise RuntimeError("the OPC UA bridge did not connect to %s" % self.served.endpoint)
        self.served.call(self.served.server.publish(force=True))
        self._catch_up()

    def _caught_up(self):
        for path in self._watch:
            if path in self.disturbed:
                continue
            qv = self.gw.read(path)
            model, member = self.plant.by_path[path]
            if not qv.quality.isGood() or qv.value != model.values().get(member.name):
                return False
        return True

    def _catch_up(self):
        if self.server_down:
            self.bridge.pump()
            return
        if not self.bridge.pump_until(self._caught_up, 60):
            self.stalls += 1
            self.notes.append("bridge not caught up after 60 s at second %d" % self._second)

    def _advance(self, seconds):
        done = 0
        while done < seconds:
            step = min(OPCUA_TICK_S, seconds - done)
            self.served.call(self.served.server.tick(step))
            self._catch_up()
            self.gw.clock.advance(step)
            done += step

    def _stop_plant(self):
        if self.server_down:
            self._server_back()
        self._catch_up()

    def _link_trouble(self, second):
        return self.server_down or second - self.link_back_at < 60

    def _device_up(self):
        return not self.server_down and self.bridge.connected.is_set()

    def _address(self, path):
        return self.plant.by_path[path][1].address

    def _strike(self, second, kind, rng):
        server, paths = self.served.server, self._machine_paths()
        if kind == "stale":
            path = rng.choice(paths) + "/" + rng.choice(["OutfeedCount", "RejectCount"])
            server.freeze([self._address(path)])
            self.disturbed.add(path)
            self.restore.append((second + rng.randrange(10, 120), lambda p=path: self._thaw(p)))
        elif kind == "bad_quality":
            path = rng.choice(paths) + "/State"
            self.served.call(server.set_status([self._address(path)], "BadSensorFailure"))
            self.disturbed.add(path)
            self.restore.append((second + rng.randrange(10, 120), lambda p=path: self._thaw(p)))
        elif kind == "opcua_restart":
            if self.server_down:
                return
            self.served.call(server.kill())
            self.server_down = True
            self.restore.append((second + rng.randrange(20, 120), self._server_back))
        elif kind == "opcua_drop":
            self.served.thread.loop.call_soon_threadsafe(server.drop_connections)
            self.link_back_at = second
        elif kind == "gateway_restart":
            self._retire_bridge()
            self.gw.restart()
            self.gw.settle()
            self._net()
            self._switch()
            if self.floor is not None:
                self.floor.listen()
            self._connect()
        else:
            Soak._strike(self, second, kind, rng)

    def _retire_bridge(self):
        self.bridge.stop()
        self.link_totals["connections"] += self.bridge.connections
        self.link_totals["losses"] += self.bridge.losses

    def _thaw(self, path):
        server = self.served.server
        if path.endswith("/State"):
            self.served.call(server.set_status([self._address(path)], None))
        else:
            server.unfreeze([self._address(path)])
        self.disturbed.discard(path)

    def _server_back(self):
        self.served.call(self.served.server.restart())
        self.server_down = False
        self.link_back_at = self._second

    def _report(self, completions):
        report = Soak._report(self, completions)
        report["mode"] = "opcua"
        report["opcua"] = {"connections": self.link_totals["connections"] + self.bridge.connections,
                           "losses": self.link_totals["losses"] + self.bridge.losses, "stalls": self.stalls}
        report["ok"] = report["ok"] and self.stalls == 0
        return report

    def close(self):
        try:
            if self.bridge is not None:
                self.bridge.stop()
        finally:
            try:
                if self.served is not None:
                    self.served.__exit__(None, None, None)
            finally:
                Soak.close(self)


def run_soak(hours, seed, db_url=None, period=2.0, kinds=None, overlap=False, opcua=False, floor=True):
    """One soak (direct mode, or through OPC UA with `opcua`); the JSON-ready report."""
    cls = OpcUaSoak if opcua else Soak
    kinds = kinds or (OPCUA_KINDS if opcua else KINDS)
    soak = cls(hours, seed, db_url, period, kinds=kinds, overlap=overlap, floor=floor)
    try:
        return soak.run()
    finally:
        soak.close()
