"""Quality at the point of production: readings in, verdicts and interlocks out, gates, live SPC.

Flow of one reading (`on_gauge_change` from a gauge tag's change event, `enter_measurement` from
an operator): gauge -> station -> station context (item, work order, operation, lot/serial,
operator) -> the characteristic of that operation's plan read by that gauge -> checks (quality,
gauge range, unit, number) -> verdict. A refused reading is stored in `qc_refused_readings` with
its reason and raises its error; it never becomes a measurement. A judged reading:

1. writes the verdict to the station's quality tags first (`Reject`, `Interlock` on a failure), so
   the PLC can divert the part within the machine cycle;
2. stores the measurement; a failure opens an NCR and holds the unit (serial, else lot, else the
   work order), all in one transaction;
3. judges the characteristic's individuals chart at the newest point (`mes.spcmonitor`); a hit
   is stored, raises the station's `SpcAlarm` tag and, where the characteristic says
   `spc_hold`, opens an NCR and holds the work order.

Readings during a database outage (`on_gauge_event`, what the gauge tag event calls): a reading
is judged at once when the database answers and nothing is waiting; otherwise it is kept through
store-and-forward (`system.db.runSFPrepUpdate` into `qc_pending_readings`, durable, in arrival
order), the station shows `LastVerdict` "queued", and `forward_pending` (the `quality-forward`
timer, and every later gauge event) judges and books the kept readings oldest first with the time
they arrived, each once: its row is deleted in the transaction that books it. A late failure opens
the NCR and hold and sets `Interlock`, but never pulses `Reject` (that part is gone). SPC and the
gates see a kept reading once it is booked.

Station tags live under the station's folder (default `[default]Genba/Quality/<station>`):
Reject, Interlock, SpcAlarm (Boolean), SpcRule, LastVerdict, Message (String), LastValue (Float8).
Interlock is True while the station has an active hold. Gates: `gate_status(wo_id, op_seq)`
is what dispatch asks before completing an operation (each required characteristic has its
sample size of conforming readings and no failure awaiting disposition, no open NCR, no active
hold on the work order); `start_status(wo_id, op_seq)` before starting one (the gates of every
earlier planned operation).

Reads (lookups, gates, lists) run in the caller's transaction when one is given, otherwise as
single statements outside any transaction, so a status check asked from inside another area's
open transaction neither blocks on nor waits for that writer. Every write is one transaction.
"""
from __future__ import absolute_import, division, print_function

__all__ = ["BACKLOG_KEY", "DEFAULT_TAG_ROOT", "GateNotPassed", "configure_gauge",
           "configure_station", "disposition", "enter_measurement", "forward_pending",
           "gate_status", "on_forward_timer", "on_gauge_change", "on_gauge_event", "pending_count",
           "require_gate", "set_context", "start_status", "station_tag_paths"]

DEFAULT_TAG_ROOT = "[default]Genba/Quality"
#: Gateway globals key: readings handed to store-and-forward and not booked yet (this gateway run).
BACKLOG_KEY = "genba.quality.backlog"
CHECKED_KEY = "genba.quality.pending_checked"
FOLDERS_KEY = "genba.quality.gauge_folders"
EMPTY_KEY = "genba.quality.pending_empty"
_TAG_NAMES = ("Reject", "Interlock", "SpcAlarm", "SpcRule", "LastVerdict", "Message", "LastValue")


class GateNotPassed(mes.errors.StateConflict):  # noqa: F821
    """The operation's quality gate is not passed (missing or failed inspection, hold, open NCR)."""
    code = "gate_not_passed"


def _tm():
    return mes.transaction  # noqa: F821


def _text(value):
    try:
        return mes.compat.text(value)  # noqa: F821
    except UnicodeDecodeError:  # bytes from a device that are not UTF-8: kept as their repr
        return mes.compat.text(repr(value))  # noqa: F821


# -- configuration and context -------------------------------------------------------------------

def configure_station(actor, station_id, tag_folder=None, tx=None):
    """Register a station for quality (its tag folder); returns the folder."""
    folder = tag_folder or "%s/%s" % (DEFAULT_TAG_ROOT, station_id)

    def work(tx):
        _tm().update("INSERT INTO qc_stations (station_id, tag_folder) VALUES (?, ?) "
                     "ON CONFLICT (station_id) DO UPDATE SET tag_folder = excluded.tag_folder",
                     [station_id, folder], tx)
        mes.audit.record(actor, "quality.station.configure", "station/%s" % station_id,  # noqa: F821
                         {"tag_folder": folder}, None, tx)
        return folder
    return _tm().run(work, tx)


def configure_gauge(actor, gauge_tag, station_id, units, range_min=None, range_max=None, tx=None):
    """Register a gauge tag: the station it measures at, its unit and measuring range."""
    def work(tx):
        if _tm().one("SELECT station_id FROM qc_stations WHERE station_id = ?", [station_id], tx) is None:
            raise mes.errors.NotFound("Station %r is not configured for quality." % (station_id,))  # noqa: F821
        _tm().update("INSERT INTO qc_gauges (gauge_tag, station_id, units, range_min, range_max) "
                     "VALUES (?, ?, ?, ?, ?) ON CONFLICT (gauge_tag) DO UPDATE SET "
                     "station_id = excluded.station_id, units = excluded.units, "
                     "range_min = excluded.range_min, range_max = excluded.range_max",
                     [gauge_tag, station_id, units, range_min, range_max], tx)
        mes.audit.record(actor, "quality.gauge.configure", "gauge/%s" % gauge_tag,  # noqa: F821
                         {"station_id": station_id, "units": units, "range_min": range_min,
                          "range_max": range_max}, None, tx)
    return _tm().run(work, tx)


def set_context(station_id, item_id, revision, wo_id, op_seq, lot=None, serial=None,
                operator=None, tx=None):
    """What the station is making now (e.g. the unit just scanned): readings from its gauges are
    booked to this context. Without one (all None), readings go to the operation dispatch runs
    at the station."""
    def work(tx):
        if _tm().update("UPDATE qc_stations SET item_id = ?, item_revision = ?, wo_id = ?, op_seq = ?, "
                        "lot = ?, serial = ?, operator = ?, context_at = ? WHERE station_id = ?",
                        [item_id, revision, wo_id, op_seq, lot, serial, operator,
                         _tm().now(), station_id], tx) != 1:
            raise mes.errors.NotFound("Station %r is not configured for quality." % (station_id,))  # noqa: F821
    return _tm().run(work, tx)


def station_tag_paths(folder):
    """The full paths of a station's quality tags, by name."""
    return dict((name, "%s/%s" % (folder, name)) for name in _TAG_NAMES)


def _write_tags(folder, values):
    """Write station quality tags in one call; names sorted so every host writes the same order."""
    names = sorted(values)
    paths = ["%s/%s" % (folder, name) for name in names]
    return system.tag.writeBlocking(paths, [values[n] for n in names])  # noqa: F821


def _station(station_id, tx):
    """The station with its context: the one set by `set_context`, else the operation dispatch
    has running there (`wo_operations` in progress at the station)."""
    row = _tm().one("SELECT station_id, tag_folder, item_id, item_revision, wo_id, op_seq, lot, "
                    "serial, operator FROM qc_stations WHERE station_id = ?", [station_id], tx)
    if row is None:
        raise mes.errors.NotFound("Station %r is not configured for quality." % (station_id,))  # noqa: F821
    if row["wo_id"] is None:
        running = _tm().one(
            "SELECT o.wo_id, o.op_seq, w.item_id, w.item_revision, o.started_by FROM wo_operations o "
            "JOIN work_orders w ON w.wo_id = o.wo_id WHERE o.station_id = ? AND o.status = ? "
            "ORDER BY o.started_at DESC LIMIT 1", [station_id, "in_progress"], tx)
        if running is None:
            raise mes.errors.StateConflict(  # noqa: F821
                "Station %r runs no operation and has no context; a reading cannot be booked."
                % (station_id,))
        row.update(running)
        row["operator"] = running["started_by"]
    row["op_seq"] = int(row["op_seq"])
    return row


def _characteristic(station, name=None, gauge_tag=None, tx=None):
    plan = mes.inspection.plan(station["item_id"], station["item_revision"],  # noqa: F821
                               station["op_seq"], tx)
    for char in plan:
        if (name is not None and char["name"] == name) or \
                (gauge_tag is not None and char["gauge_tag"] == gauge_tag):
            return char
    raise mes.errors.NotFound(  # noqa: F821
        "No characteristic %r in the plan of %r revision %r operation %r."
        % (name or gauge_tag, station["item_id"], station["item_revision"], station["op_seq"]))


# -- readings ------------------------------------------------------------------------------------

def _refuse(station_id, char, station, source, raw, units, error, operator, at=None, pending_id=None):
    """Store a refused reading in a transaction of its own (kept even though the caller raises);
    a kept reading's row (`pending_id`) is deleted in the same transaction."""
    def work(tx):
        tm = _tm()
        if pending_id is not None and _take_pending(pending_id, tx) != 1:
            return
        tm.insert("INSERT INTO qc_refused_readings (char_id, station_id, wo_id, op_seq, "
                  "source, raw_value, units, reason_code, reason, operator, received_at) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                  [char and char["char_id"], station_id,
                   station and station["wo_id"], station and station["op_seq"], source,
                   None if raw is None else _text(raw), units, error.code, error.message,
                   operator, at or tm.now()], tx)
    _tm().run(work)


def _take_pending(pending_id, tx):
    return _tm().update("DELETE FROM qc_pending_readings WHERE id = ?", [pending_id], tx)


def on_gauge_change(gauge_tag, value, quality_good=True, at=None, pending_id=None):
    """A gauge tag changed: judge the reading for the station's current context.

    Returns the verdict dict of `_accept`; raises the refusal error (stored first) otherwise,
    also when the tag is no configured gauge or its station has nothing to book the reading to.
    `at` and `pending_id`: a reading kept during an outage (its arrival time and its row in
    `qc_pending_readings`, deleted when it is booked; None when another run booked it first).
    """
    gauge_tag = _text(gauge_tag)
    gauge = _tm().one("SELECT gauge_tag, station_id, units, range_min, range_max FROM qc_gauges "
                      "WHERE gauge_tag = ?", [gauge_tag], None)
    try:
        if gauge is None:
            raise mes.errors.NotFound("Tag %r is not a configured gauge." % (gauge_tag,))  # noqa: F821
        station = _station(gauge["station_id"], None)
        _remember_folder(gauge_tag, station["tag_folder"])
        char = _characteristic(station, gauge_tag=gauge_tag)
    except mes.errors.MesError as error:  # noqa: F821
        _refuse(gauge and gauge["station_id"], None, None, "gauge", value,
                gauge and gauge["units"], error, None, at, pending_id)
        raise
    return _judge_and_book(char, station, value, gauge["units"], quality_good, gauge, "gauge",
                           station["operator"], at, pending_id)


def _globals():
    """The gateway's globals (kept for the gateway's run, shared by every script)."""
    return system.util.getGlobals()  # noqa: F821


def _remember_folder(gauge_tag, folder):
    store = _globals()
    folders = store.get(FOLDERS_KEY)
    if folders is None:
        folders = store[FOLDERS_KEY] = {}
    folders[gauge_tag] = folder


def pending_count():
    """Readings kept during an outage and not booked yet (stored ones; the store-and-forward
    queue may hold more while the database is down)."""
    return int(_tm().scalar("SELECT COUNT(*) FROM qc_pending_readings", [], None) or 0)


def _keep(gauge_tag, value, quality_good):
    """Hand a reading to store-and-forward: it reaches `qc_pending_readings` in arrival order."""
    number, raw = None, None
    if isinstance(value, (float,) + mes.compat.integer_types) and not isinstance(value, bool):  # noqa: F821
        number = float(value)
    elif value is not None:
        raw = _text(value)
    system.db.runSFPrepUpdate(  # noqa: F821
        "INSERT INTO qc_pending_readings (gauge_tag, value, raw_value, quality_good, received_at) "
        "VALUES (?, ?, ?, ?, ?)", [_text(gauge_tag), number, raw, bool(quality_good), _tm().now()],
        [_tm().DATABASE])
    store = _globals()
    store[BACKLOG_KEY] = int(store.get(BACKLOG_KEY) or 0) + 1


def _show_queued(gauge_tag, value):
    """Tell the station its reading is kept (its folder as last seen by this gateway run)."""
    message = "Database unavailable: reading %r of %s kept; it is judged when the database is back." % (
        value, _text(gauge_tag))
    folder = (_globals().get(FOLDERS_KEY) or {}).get(_text(gauge_tag))
    if folder:
        _write_tags(folder, {"LastVerdict": "queued", "Message": message})
    system.util.getLogger("genba.quality").warn(message)  # noqa: F821


def on_forward_timer():
    """The `quality-forward` timer: book kept readings (the first run after a start always looks)."""
    store = _globals()
    if store.get(CHECKED_KEY) and not int(store.get(BACKLOG_KEY) or 0):
        return 0
    done = forward_pending()
    store[CHECKED_KEY] = True
    # a queue found empty by three runs in a row (store-and-forward retried in between): nothing
    # waits any more (e.g. a kept reading store-and-forward quarantined); judge at once again
    empty = int(store.get(EMPTY_KEY) or 0) + 1 if pending_count() == 0 else 0
    if empty >= 3:
        store[BACKLOG_KEY] = 0
    store[EMPTY_KEY] = empty
    return done


def on_gauge_event(gauge_tag, value, quality_good=True):
    """What the gauge tag event calls: judge now, or keep the reading when the database is down
    or earlier readings still wait (so readings are booked in arrival order).

    Returns the verdict (judged now) or None (kept); raises a refusal like `on_gauge_change`.
    """
    if not int(_globals().get(BACKLOG_KEY) or 0):
        try:
            waiting = _tm().one("SELECT id FROM qc_pending_readings ORDER BY id LIMIT 1", [], None)
            if waiting is None:
                return on_gauge_change(gauge_tag, value, quality_good)
        except mes.outage.ANY_ERROR as failure:  # noqa: F821
            if not mes.outage.is_database_error(failure):  # noqa: F821
                raise
    _keep(gauge_tag, value, quality_good)
    try:
        forward_pending()
    except mes.outage.ANY_ERROR as failure:  # noqa: F821
        if not mes.outage.is_database_error(failure):  # noqa: F821
            raise
    if int(_globals().get(BACKLOG_KEY) or 0):
        _show_queued(gauge_tag, value)
    return None


def forward_pending(limit=500):
    """Judge and book kept readings, oldest first, each once; returns how many left the queue."""
    found = _tm().rows("SELECT id, gauge_tag, value, raw_value, quality_good, received_at "
                       "FROM qc_pending_readings ORDER BY id LIMIT ?", [limit], None)
    store = _globals()
    done = 0
    for row in found:
        raw = row["value"] if row["value"] is not None else row["raw_value"]
        try:
            on_gauge_change(row["gauge_tag"], raw, bool(row["quality_good"]), row["received_at"],
                            int(row["id"]))
        except mes.errors.MesError as error:  # noqa: F821
            system.util.getLogger("genba.quality").warn(  # noqa: F821
                "%s (kept reading %s): %s" % (row["gauge_tag"], row["id"], error.message))
        done += 1
        store[BACKLOG_KEY] = max(0, int(store.get(BACKLOG_KEY) or 0) - 1)
    return done


def enter_measurement(username, station_id, characteristic_name, raw_value, units=None):
    """An operator enters a reading (or pass/fail) for the station's current context."""
    def lookup(tx):
        mes.security.require_role(username, "operator", tx)  # noqa: F821
        station = _station(station_id, tx)
        return station, _characteristic(station, name=characteristic_name, tx=tx)
    station, char = lookup(None)
    if char["kind"] == "variable" and units is None:
        units = char["units"]
    return _judge_and_book(char, station, raw_value, units, True, None, "manual", username)


def _judge_and_book(char, station, raw, units, quality_good, gauge, source, operator, at=None,
                    pending_id=None):
    try:
        value = mes.inspection.accepted_value(char, raw, units, quality_good, gauge)  # noqa: F821
    except mes.errors.InvalidInput as error:  # noqa: F821
        _refuse(station["station_id"], char, station, source, raw, units, error, operator, at, pending_id)
        _write_tags(station["tag_folder"], {"LastVerdict": "refused", "Message": error.message})
        raise
    return _accept(char, station, value, source, operator, at, pending_id)


def _accept(char, station, value, source, operator, at=None, pending_id=None):
    passed = mes.inspection.judge(char, value)  # noqa: F821
    folder = station["tag_folder"]
    if passed:
        tags = {"LastValue": value, "LastVerdict": "pass", "Reject": False}
    else:
        tags = {"LastValue": value, "LastVerdict": "fail", "Reject": True, "Interlock": True,
                "Message": "%s %r outside %r..%r" % (char["name"], value, char["lsl"], char["usl"])}
    if pending_id is None:
        _write_tags(folder, tags)
    else:  # a late verdict: the part it measured is gone, so no Reject pulse
        tags.pop("Reject")

    def work(tx):
        tm = _tm()
        if pending_id is not None and _take_pending(pending_id, tx) != 1:
            return None
        measurement_id = tm.insert(
            "INSERT INTO qc_measurements (char_id, wo_id, op_seq, station_id, lot, serial, "
            "operator, source, value, units, passed, measured_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [char["char_id"], station["wo_id"], station["op_seq"],
                   station["station_id"], station["lot"], station["serial"], operator, source,
                   value, char["units"], passed, at or tm.now()], tx)
        verdict = {"measurement_id": measurement_id, "characteristic": char["name"],
                   "value": value, "passed": passed, "ncr_id": None, "hold_id": None,
                   "signals": [], "spc_ncr_id": None}
        if not passed:
            kind, subject = _unit(station)
            opened = mes.nonconformance.open_with_hold(  # noqa: F821
                operator or "system", station["wo_id"], station["op_seq"], kind, subject,
                "%s %r outside specification %r..%r" % (char["name"], value, char["lsl"], char["usl"]),
                station["station_id"], char["char_id"], measurement_id, tx)
            verdict["ncr_id"], verdict["hold_id"] = opened["ncr_id"], opened["hold_id"]
        mes.spcmonitor.judge_newest(char, station, measurement_id, verdict, tx)  # noqa: F821
        return verdict
    verdict = _tm().run(work)
    if verdict is None:
        return None
    if pending_id is not None:
        _write_tags(folder, tags)
    if verdict["signals"]:
        _write_tags(folder, {"SpcAlarm": True, "SpcRule": ",".join(verdict["signals"])})
    if verdict["spc_ncr_id"] is not None:
        _write_tags(folder, {"Interlock": True})
    return verdict


def _unit(station):
    if station["serial"]:
        return "serial", station["serial"]
    if station["lot"]:
        return "lot", station["lot"]
    return "wo", station["wo_id"]


# -- gates, dispositions -------------------------------------------------------------------------

def _work_order_item(wo_id, tx):
    row = _tm().one("SELECT item_id, item_revision FROM work_orders WHERE wo_id = ?", [wo_id], tx)
    if row is None:
        raise mes.errors.NotFound("Unknown work order %r." % (wo_id,))  # noqa: F821
    return row["item_id"], row["item_revision"]


def _gate(wo_id, op_seq, item, tx):
    """Required characteristics short of conforming readings, and those with an unresolved failure.

    A reading counts when it passed, or when its NCR was dispositioned use-as-is; a failed reading
    stays unresolved while its NCR is open (scrap, rework and return take the part out: a new
    reading of the reworked or next part is needed).
    """
    missing, failed = [], []
    found = mes.inspection.measurements(wo_id, op_seq, tx=tx)  # noqa: F821
    ncrs = dict((int(r["measurement_id"]), (r["status"], r["disposition"])) for r in _tm().rows(
        "SELECT measurement_id, status, disposition FROM qc_ncrs WHERE wo_id = ? AND op_seq = ? "
        "AND measurement_id IS NOT NULL ORDER BY id", [wo_id, op_seq], tx))
    for char in mes.inspection.plan(item[0], item[1], op_seq, tx):  # noqa: F821
        if not char["required"]:
            continue
        mine = [m for m in found if m["char_id"] == char["char_id"]]
        counted = [m for m in mine if m["passed"] or
                   ncrs.get(m["measurement_id"], (None, None))[1] == "use-as-is"]
        open_failures = [m for m in mine if not m["passed"] and
                         ncrs.get(m["measurement_id"], ("open", None))[0] == "open"]
        if len(counted) < char["sample_size"]:
            missing.append(char["name"])
        if open_failures:
            failed.append(char["name"])
    return missing, failed


def _status(wo_id, op_seqs, tx):
    item = _work_order_item(wo_id, tx)
    missing, failed = [], []
    for seq in op_seqs:
        m, f = _gate(wo_id, seq, item, tx)
        missing.extend("%s (op %d)" % (name, seq) for name in m)
        failed.extend("%s (op %d)" % (name, seq) for name in f)
    ncrs = mes.nonconformance.open_ncrs(wo_id, tx)  # noqa: F821
    holds = [h["hold_id"] for h in mes.nonconformance.active_holds(wo_id=wo_id, tx=tx)]  # noqa: F821
    reasons = (["missing inspection: " + m for m in missing] +
               ["failed inspection: " + f for f in failed] +
               ["open NCR %d" % n for n in ncrs] + ["active hold %d" % h for h in holds])
    return {"passed": not reasons, "wo_id": wo_id, "missing": missing, "failed": failed,
            "open_ncrs": ncrs, "holds": holds, "reasons": reasons, "reason": "; ".join(reasons)}


def gate_status(wo_id, op_seq, tx=None):
    """May operation `op_seq` of `wo_id` complete? {"passed", "missing", "failed", "open_ncrs",
    "holds", "reasons", "reason" (the reasons as one text), "wo_id", "op_seq"}."""
    def work(tx):
        result = _status(wo_id, [op_seq], tx)
        result["op_seq"] = op_seq
        return result
    return work(tx)


def start_status(wo_id, op_seq, tx=None):
    """May operation `op_seq` start? The gates of every earlier operation that has a plan."""
    def work(tx):
        item = _work_order_item(wo_id, tx)
        earlier = [int(r["op_seq"]) for r in _tm().rows(
            "SELECT op_seq FROM qc_plans WHERE item_id = ? AND item_revision = ? AND op_seq < ? "
            "ORDER BY op_seq", [item[0], item[1], op_seq], tx)]
        result = _status(wo_id, earlier, tx)
        result["op_seq"] = op_seq
        return result
    return work(tx)


def require_gate(wo_id, op_seq, starting=False, tx=None):
    """Raise GateNotPassed unless the gate (to complete, or with `starting` to start) is passed."""
    status = start_status(wo_id, op_seq, tx) if starting else gate_status(wo_id, op_seq, tx)
    if not status["passed"]:
        raise GateNotPassed("Work order %r operation %r may not %s: %s."
                            % (wo_id, op_seq, "start" if starting else "complete",
                               "; ".join(status["reasons"])), reasons=status["reasons"])
    return status


def disposition(username, password, ncr_id, decision, note=None):
    """Disposition an NCR (signed, quality role) and clear the station's interlock when no hold
    remains there; returns the result of `mes.nonconformance.disposition`."""
    def work(tx):
        result = mes.nonconformance.disposition(username, password, ncr_id, decision, note, tx)  # noqa: F821
        ncr = mes.nonconformance.get(ncr_id, tx)  # noqa: F821
        folder, remaining = None, True
        if ncr["station_id"]:
            row = _tm().one("SELECT tag_folder FROM qc_stations WHERE station_id = ?",
                            [ncr["station_id"]], tx)
            folder = row and row["tag_folder"]
            remaining = bool(mes.nonconformance.active_holds(station_id=ncr["station_id"], tx=tx))  # noqa: F821
        return result, folder, remaining
    result, folder, remaining = _tm().run(work)
    if folder and not remaining:
        _write_tags(folder, {"Interlock": False, "Reject": False, "SpcAlarm": False, "SpcRule": "",
                             "Message": "released by NCR %d (%s)" % (ncr_id, decision)})
    return result
