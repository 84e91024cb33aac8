"""OEE persistence: state intervals, count intervals and counter readings in the database.

Every machine has at most one open state interval (end_ms NULL) and one open count interval.
A state change closes the open interval and opens the next in one transaction. Counter changes go
through ``mes.counter.delta`` against the last reading taken in and add to the machine's running
count in memory tags under its OEE folder (`count`: no database, so an outage or a PLC restart
during one loses nothing); `flush_counts` moves what was counted into the open count intervals in
one transaction per flush, idempotently (the stored total in ``oee_counter_readings``). The
refresh timer, a work order change and the KPI functions flush. A count interval is rolled over
when the shift or the work order changes, so counts belong to exactly one shift and one work
order (counts made shortly before a shift change and flushed after it go to the new shift).

Gateway restart: shutdown closes every open state interval with ``closed_by = 'shutdown'``. The
first state seen afterwards (startup reconciliation or the initial tag change) reopens it when the
device still reports the same code and the tag's timestamp is not after the shutdown - the state
never changed, so the run is continuous and a restart changes no figure. If the state changed while
the gateway was down at a known instant, the time between shutdown and that instant is ``unknown``
and the new state starts at that instant. Until a Good reading arrives no interval is opened, and
the time-bucket computation counts the gap as ``unknown`` (never lost). While running, a State
reading with bad quality opens an ``unknown`` interval like any other state change.
"""
from __future__ import absolute_import, division, print_function

import json

__all__ = ["COUNTERS", "DATABASE", "as_state_code", "close_for_shutdown", "configured", "context",
           "count", "counter_tags", "flush_counts", "forget_configuration", "machine",
           "machine_by_source", "machines", "now_ms", "on_counter", "on_fault", "on_state",
           "open_interval", "query", "qv_millis", "read_counters", "reconcile", "set_context",
           "state_table", "transaction", "update"]

DATABASE = ""
#: The OEE configuration read from the database once (machines, state tables, fault map,
#: calendars); `mes.oeeconfig.configure` empties it. Only configuration is kept here: counts and
#: states live in tags and the database.
_CONFIG = {}
#: Counter member name -> count interval column it adds to.
COUNTERS = {"OutfeedCount": "pq", "RejectCount": "sq", "ReworkCount": "rq", "InfeedCount": "infeed"}


def _log():
    return system.util.getLogger("mes.oee")  # noqa: F821 - `system` is injected by the host


def now_ms():
    """The gateway clock as epoch milliseconds."""
    return int(system.date.toMillis(system.date.now()))  # noqa: F821


def qv_millis(qv, default_ms):
    """Epoch ms of a QualifiedValue's timestamp, or default_ms when it has none."""
    stamp = getattr(qv, "timestamp", None)
    return default_ms if stamp is None else int(system.date.toMillis(stamp))  # noqa: F821


def query(sql, args, tx=None):
    """Run a SELECT and return its rows as dicts."""
    ds = system.db.runPrepQuery(sql, list(args), DATABASE, tx)  # noqa: F821
    names = [str(n) for n in ds.getColumnNames()]
    return [dict((names[i], row[i]) for i in range(len(names))) for row in ds]


def update(sql, args, tx=None, get_key=False):
    """Run an INSERT/UPDATE/DELETE; returns rows affected or the generated key."""
    return system.db.runPrepUpdate(sql, list(args), DATABASE, tx, get_key)  # noqa: F821


def transaction(work):
    """Run work(tx) in one transaction; commit on success, roll back and re-raise on error."""
    tx = system.db.beginTransaction(DATABASE)  # noqa: F821
    try:
        result = work(tx)
        system.db.commitTransaction(tx)  # noqa: F821
        return result
    except Exception:
        system.db.rollbackTransaction(tx)  # noqa: F821
        raise
    finally:
        system.db.closeTransaction(tx)  # noqa: F821


def machines():
    """Every configured machine, ordered by line and sequence."""
    return query("SELECT * FROM oee_machines ORDER BY line_id, sequence_no, machine_id", [])


def forget_configuration():
    """Forget the configuration read so far; the next use reads it from the database again."""
    _CONFIG.clear()


def configured():
    """The configured machines, read once: {"rows": [...], "by_id": {}, "by_source": {}}."""
    found = _CONFIG.get("machines")
    if found is None:
        rows = machines()
        found = {"rows": rows, "by_id": dict((r["machine_id"], r) for r in rows),
                 "by_source": dict((r["source_path"], r) for r in rows)}
        _CONFIG["machines"] = found
    return found


def _machine_row(machine_id):
    row = configured()["by_id"].get(machine_id)
    return row if row is not None else machine(machine_id)


def machine(machine_id, tx=None):
    """The configuration row of one machine; raises NotFound."""
    rows = query("SELECT * FROM oee_machines WHERE machine_id = ?", [machine_id], tx)
    if not rows:
        raise mes.errors.NotFound("OEE machine %r is not configured." % (machine_id,))  # noqa: F821
    return rows[0]


def machine_by_source(source_path):
    """The machine whose source tag folder is source_path (provider optional), or None."""
    path = source_path.split("]", 1)[1] if source_path.startswith("[") else source_path
    return configured()["by_source"].get(path)


def state_table(state_table_id, tx=None):
    """{code: category} of a state table; raises ConfigurationError when it has no codes."""
    key = ("state_table", state_table_id)
    if key not in _CONFIG:
        _CONFIG[key] = _read_state_table(state_table_id, tx)
    return _CONFIG[key]


def _read_state_table(state_table_id, tx):
    rows = query("SELECT code, category FROM oee_state_codes WHERE state_table_id = ? ORDER BY code",
                 [state_table_id], tx)
    if not rows:
        raise mes.errors.ConfigurationError(  # noqa: F821
            "State table %r has no codes in oee_state_codes." % (state_table_id,))
    return mes.machinestate.parse_state_table([(r["code"], r["category"]) for r in rows])  # noqa: F821


def _fault_map(tx):
    if "faults" not in _CONFIG:
        rows = query("SELECT machine_id, fault_code, reason_code FROM oee_fault_reasons", [], tx)
        _CONFIG["faults"] = dict(((r["machine_id"], int(r["fault_code"])), r["reason_code"])
                                 for r in rows)
    return _CONFIG["faults"]


def _calendar(line_id, tx):
    key = ("calendar", line_id)
    if key not in _CONFIG:
        line = query("SELECT c.definition FROM oee_lines l JOIN oee_calendars c "
                     "ON c.calendar_id = l.calendar_id WHERE l.line_id = ?", [line_id], tx)
        _CONFIG[key] = mes.shiftcalendar.parse_calendar(json.loads(line[0]["definition"]))  # noqa: F821
    return _CONFIG[key]


def context(machine_id, tx=None):
    """The machine's current work order, product and operation (all None when never set)."""
    rows = query("SELECT work_order, product, operation FROM oee_machine_context "
                 "WHERE machine_id = ?", [machine_id], tx)
    return rows[0] if rows else {"work_order": None, "product": None, "operation": None}


def open_interval(machine_id, tx=None):
    """The open state interval of a machine, or None."""
    rows = query("SELECT * FROM oee_state_intervals WHERE machine_id = ? AND end_ms IS NULL "
                 "ORDER BY start_ms DESC, id DESC", [machine_id], tx)
    return rows[0] if rows else None


def _close(interval, end_ms, closed_by, tx):
    end_ms = max(end_ms, interval["start_ms"])
    update("UPDATE oee_state_intervals SET end_ms = ?, closed_by = ? WHERE id = ?",
           [end_ms, closed_by, interval["id"]], tx)
    update("UPDATE oee_downtime_reasons SET end_ms = ? WHERE interval_id = ? AND end_ms IS NULL",
           [end_ms, interval["id"]], tx)


def _open(m, code, category, good, fault_code, start_ms, tx):
    ctx = context(m["machine_id"], tx)
    key = update("INSERT INTO oee_state_intervals (machine_id, start_ms, end_ms, closed_by, "
                 "state_code, category, good_quality, fault_code, work_order, product, operation) "
                 "VALUES (?, ?, NULL, NULL, ?, ?, ?, ?, ?, ?, ?)",
                 [m["machine_id"], start_ms, code, category, bool(good), fault_code,
                  ctx["work_order"], ctx["product"], ctx["operation"]], tx, True)
    if category != mes.machinestate.RUNNING:  # noqa: F821
        reason = mes.downtime.reason_for_fault(_fault_map(tx), m["machine_id"], fault_code,  # noqa: F821
                                               category)
        update("INSERT INTO oee_downtime_reasons (interval_id, machine_id, start_ms, end_ms, "
               "reason_code, source, assigned_by, assigned_ms, active) "
               "VALUES (?, ?, ?, NULL, ?, ?, NULL, ?, TRUE)",
               [key, m["machine_id"], start_ms, reason, "plc", start_ms], tx)
    return key


def _classify(m, code, good, tx):
    category, known = mes.machinestate.categorize(state_table(m["state_table_id"], tx), code, good)  # noqa: F821
    if not known:
        _log().warn("Machine %r reported state code %r, which state table %r does not list; "
                    "counted as unknown." % (m["machine_id"], code, m["state_table_id"]))
    return category


def _read_fault(m):
    qv = system.tag.readBlocking(["[default]" + m["source_path"] + "/FaultCode"])[0]  # noqa: F821
    if qv.value is None or not qv.quality.isGood():
        return None
    return int(qv.value)


def as_state_code(code):
    """A state reading as an integer code, or None when it is not a number (counted as unknown)."""
    try:
        return None if code is None else int(code)
    except (TypeError, ValueError):
        return None


def reconcile(machine_id, code, good, stamp_ms, now, tx):
    """Make sure the machine has an open interval after a restart; returns it (see module doc)."""
    current = open_interval(machine_id, tx)
    if current is not None:
        return current
    m = machine(machine_id, tx)
    rows = query("SELECT * FROM oee_state_intervals WHERE machine_id = ? "
                 "ORDER BY start_ms DESC, id DESC LIMIT 1", [machine_id], tx)
    last = rows[0] if rows else None
    if not good or code is None:
        return None
    category = _classify(m, code, good, tx)
    if last is not None and last["closed_by"] == "shutdown":
        if last["state_code"] == as_state_code(code) and stamp_ms <= last["end_ms"]:
            update("UPDATE oee_state_intervals SET end_ms = NULL, closed_by = NULL WHERE id = ?",
                   [last["id"]], tx)
            update("UPDATE oee_downtime_reasons SET end_ms = NULL WHERE interval_id = ? "
                   "AND end_ms = ? AND active", [last["id"], last["end_ms"]], tx)
            return open_interval(machine_id, tx)
        start = min(max(stamp_ms, last["end_ms"]), now)
        if start > last["end_ms"]:
            _open(m, None, mes.machinestate.UNKNOWN, False, None, last["end_ms"], tx)  # noqa: F821
            _close(open_interval(machine_id, tx), start, "change", tx)
        _open(m, as_state_code(code), category, True, _read_fault(m), start, tx)
        return open_interval(machine_id, tx)
    _open(m, as_state_code(code), category, True, _read_fault(m), now, tx)
    return open_interval(machine_id, tx)


def _after_shutdown(interval, tx):
    rows = query("SELECT closed_by, end_ms FROM oee_state_intervals WHERE machine_id = ? AND id <> ? "
                 "AND start_ms <= ? ORDER BY start_ms DESC, id DESC LIMIT 1",
                 [interval["machine_id"], interval["id"], interval["start_ms"]], tx)
    return bool(rows) and rows[0]["closed_by"] == "shutdown" and \
        rows[0]["end_ms"] >= interval["start_ms"]


def on_state(machine_id, code, good, stamp_ms=None):
    """Record a state reading; returns True when a new interval was opened."""
    now = now_ms()
    stamp_ms = now if stamp_ms is None else min(stamp_ms, now)

    def work(tx):
        before = open_interval(machine_id, tx)
        if before is not None and before["start_ms"] >= now and _after_shutdown(before, tx):
            # opened at this very instant after a restart from a provisional reading: it holds
            # no time, so it is dropped and the reading is reconciled with the interval before
            update("DELETE FROM oee_downtime_reasons WHERE interval_id = ?", [before["id"]], tx)
            update("DELETE FROM oee_state_intervals WHERE id = ?", [before["id"]], tx)
            before = None
        if before is None:
            return reconcile(machine_id, code, good, stamp_ms, now, tx) is not None
        current = before
        m = _machine_row(machine_id)
        category = _classify(m, code, good, tx)
        same_code = current["state_code"] == as_state_code(code)
        if same_code and bool(current["good_quality"]) == bool(good) and \
                category == current["category"]:
            return False
        start = max(stamp_ms, current["start_ms"])
        _close(current, start, "change", tx)
        fault = _read_fault(m) if good and category != mes.machinestate.RUNNING else None  # noqa: F821
        _open(m, as_state_code(code), category, good, fault, start, tx)
        return True
    return transaction(work)


def on_fault(machine_id, fault_code, stamp_ms=None):
    """A fault code arrived: give it to the open stop that has none yet (the first fault wins)."""
    if fault_code in (None, 0):
        return False

    def work(tx):
        current = open_interval(machine_id, tx)
        if current is None or current["category"] == mes.machinestate.RUNNING or \
                current["fault_code"] not in (None, 0):  # noqa: F821
            return False
        reason = mes.downtime.reason_for_fault(_fault_map(tx), machine_id, fault_code,  # noqa: F821
                                               current["category"])
        update("UPDATE oee_state_intervals SET fault_code = ? WHERE id = ?",
               [int(fault_code), current["id"]], tx)
        update("UPDATE oee_downtime_reasons SET reason_code = ? WHERE interval_id = ? "
               "AND source = ? AND active", [reason, current["id"], "plc"], tx)
        return True
    return transaction(work)


def _count_interval(m, t_ms, tx):
    calendar = _calendar(m["line_id"], tx)
    shift = mes.shiftcalendar.shift_at(calendar, t_ms)  # noqa: F821
    day, name = (shift["day"], shift["name"]) if shift else (None, None)
    ctx = context(m["machine_id"], tx)
    key = (day, name, ctx["work_order"], ctx["product"], ctx["operation"])
    rows = query("SELECT * FROM oee_count_intervals WHERE machine_id = ? AND end_ms IS NULL "
                 "ORDER BY id DESC", [m["machine_id"]], tx)
    keep = None
    if rows and (rows[0]["shift_day"], rows[0]["shift_name"], rows[0]["work_order"],
                 rows[0]["product"], rows[0]["operation"]) == key:
        keep = rows[0]["id"]
    for row in rows:
        if row["id"] != keep:
            update("UPDATE oee_count_intervals SET end_ms = ? WHERE id = ?",
                   [max(t_ms, row["start_ms"]), row["id"]], tx)
    if keep is not None:
        return keep
    return update("INSERT INTO oee_count_intervals (machine_id, start_ms, end_ms, shift_day, "
                  "shift_name, work_order, product, operation, pq, sq, rq, infeed, last_count_ms) "
                  "VALUES (?, ?, NULL, ?, ?, ?, ?, ?, 0, 0, 0, 0, NULL)",
                  [m["machine_id"], t_ms, day, name, ctx["work_order"], ctx["product"],
                   ctx["operation"]], tx, True)


def counter_tags(m, counter_name):
    """Gateway state of one counter under the machine's OEE folder: [last Good reading taken in,
    parts counted so far] (memory tags, kept across gateway restarts and database outages)."""
    return [m["oee_path"] + "/" + counter_name + "Last", m["oee_path"] + "/" + counter_name + "Counted"]


def count(machine_id, counter_name, raw, good):
    """Take a counter reading into the gateway's running count; returns the parts it adds.

    The delta from the last reading taken in (``mes.counter.delta``: wrap- and reset-safe) is
    added to the machine's ``<Counter>Counted`` memory tag; the database is not touched, so a
    database outage loses nothing and a PLC restart during one is a reset like any other. The
    counts reach the count intervals at the next `flush_counts`. Only the very first reading of a
    counter (no gateway state yet) reads the database: it counts from the stored reading, or is
    the baseline when there is none.
    """
    if counter_name not in COUNTERS or raw is None or not good:
        return 0
    m = _machine_row(machine_id)
    paths = counter_tags(m, counter_name)
    last, counted = [qv.value for qv in system.tag.readBlocking(paths)]  # noqa: F821
    raw = int(raw)
    first = last is None or counted is None
    if first:
        rows = query("SELECT raw, counted FROM oee_counter_readings WHERE machine_id = ? "
                     "AND counter_name = ?", [machine_id, counter_name])
        last, counted = (int(rows[0]["raw"]), int(rows[0]["counted"])) if rows else (raw, 0)
    delta = int(mes.counter.delta(int(last), raw, bits=int(m["counter_bits"])))  # noqa: F821
    if first or delta or last != raw:
        system.tag.writeBlocking(paths, [raw, int(counted) + delta])  # noqa: F821
    return delta


def flush_counts(machine_ids=None):
    """Write the parts counted in the gateway to the count intervals, in one transaction; returns
    the parts added.

    Each counter adds its ``Counted`` tag minus the total stored at the last flush
    (``oee_counter_readings.counted``), and the new total is stored in the same transaction, so
    a flush repeated after a failure or a gateway restart adds nothing twice. A gateway total
    below the stored one (the tags were re-imported) is taken as the new base, adding nothing.
    """
    rows = [m for m in configured()["rows"] if machine_ids is None or m["machine_id"] in machine_ids]
    keys, paths = [], []
    for m in rows:
        for name in sorted(COUNTERS):
            keys.append((m, name))
            paths.extend(counter_tags(m, name))
    if not paths:
        return 0
    qvs = system.tag.readBlocking(paths)  # noqa: F821
    gateway, taken = {}, {}
    for index, (m, name) in enumerate(keys):
        last, counted = qvs[2 * index], qvs[2 * index + 1].value
        if last.value is not None and counted is not None:
            gateway[(m["machine_id"], name)] = (int(last.value), int(counted))
            taken[(m["machine_id"], name)] = qv_millis(last, None)
    if not gateway:
        return 0
    now = now_ms()

    def work(tx):
        stored = dict(((r["machine_id"], r["counter_name"]), (int(r["raw"]), int(r["counted"])))
                      for r in query("SELECT machine_id, counter_name, raw, counted "
                                     "FROM oee_counter_readings", [], tx))
        added = 0
        for m in rows:
            deltas, made = {}, []
            for name in sorted(COUNTERS):
                key = (m["machine_id"], name)
                if key not in gateway or stored.get(key) == gateway[key]:
                    continue
                last, counted = gateway[key]
                before = stored[key][1] if key in stored else 0
                update("INSERT INTO oee_counter_readings (machine_id, counter_name, raw, read_ms, "
                       "counted) VALUES (?, ?, ?, ?, ?) ON CONFLICT (machine_id, counter_name) "
                       "DO UPDATE SET raw = excluded.raw, read_ms = excluded.read_ms, "
                       "counted = excluded.counted", [m["machine_id"], name, last, now, counted], tx)
                if counted > before:
                    deltas[COUNTERS[name]] = counted - before
                    made.append(now if taken.get(key) is None else min(taken[key], now))
            if deltas:
                # the parts were made before the reading that brought them in
                interval = _count_interval(m, min(made) - 1, tx)
                update("UPDATE oee_count_intervals SET pq = pq + ?, sq = sq + ?, rq = rq + ?, "
                       "infeed = infeed + ?, last_count_ms = ? WHERE id = ?",
                       [deltas.get("pq", 0), deltas.get("sq", 0), deltas.get("rq", 0),
                        deltas.get("infeed", 0), now, interval], tx)
                added += sum(deltas.values())
        return added
    return transaction(work)


def on_counter(machine_id, counter_name, raw, good, stamp_ms=None):
    """Record a counter reading and flush the machine's counts; returns the delta added (0 for
    the first reading or bad quality)."""
    delta = count(machine_id, counter_name, raw, good)
    flush_counts([machine_id])
    return delta


def read_counters(machine_id):
    """Read every counter tag of a machine now: the first reading becomes the baseline, later
    ones add their delta (at startup: the parts made while the gateway was down)."""
    m = machine(machine_id)
    names = sorted(COUNTERS)
    qvs = system.tag.readBlocking(["[default]" + m["source_path"] + "/" + n for n in names])  # noqa: F821
    added = {}
    for name, qv in zip(names, qvs):
        good = qv.quality is not None and qv.quality.isGood()
        added[name] = count(machine_id, name, qv.value, good)
    flush_counts([machine_id])
    return added


def set_context(machine_id, work_order, product, operation):
    """Start a work order / product / operation on a machine: splits the open state interval.
    The parts counted so far are flushed first, so they stay with the order before."""
    flush_counts([machine_id])
    now = now_ms()

    def work(tx):
        update("INSERT INTO oee_machine_context (machine_id, work_order, product, operation, "
               "changed_ms) VALUES (?, ?, ?, ?, ?) ON CONFLICT (machine_id) DO UPDATE SET "
               "work_order = excluded.work_order, product = excluded.product, "
               "operation = excluded.operation, changed_ms = excluded.changed_ms",
               [machine_id, work_order, product, operation, now], tx)
        current = open_interval(machine_id, tx)
        if current is not None:
            m = machine(machine_id, tx)
            _close(current, now, "context", tx)
            _open(m, current["state_code"], current["category"], current["good_quality"],
                  current["fault_code"], max(now, current["start_ms"]), tx)
        return True
    return transaction(work)


def close_for_shutdown():
    """Flush the counts, close every open state interval at now with closed_by 'shutdown';
    returns how many intervals were closed."""
    flush_counts()
    now = now_ms()

    def work(tx):
        rows = query("SELECT * FROM oee_state_intervals WHERE end_ms IS NULL ORDER BY id", [], tx)
        for row in rows:
            _close(row, now, "shutdown", tx)
        return len(rows)
    return transaction(work)
