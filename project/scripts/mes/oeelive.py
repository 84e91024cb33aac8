"""Live OEE: KPIs per machine, line, shift and work order from the database, the live tags, the
downtime Pareto, and the operator's (audited, role-checked) assignment and split of reasons.

The refresh timer (`mes.oeeevents.on_timer`) calls `refresh`; it
writes, for the current shift, A, P, Q, OEE, state, state duration, counts and MTBF/MTTR
under each machine's and line's ``oee_path``. A state change writes only the machine's state tags
(`refresh_state`). The Pareto counts stop time inside scheduled shift
time only (a fault running into a break is downtime until the break starts), by effective reason.
"""
from __future__ import absolute_import, division, print_function

import json

__all__ = ["REASON_ROLE", "assign_reason", "downtime_pareto", "line_kpis", "machine_kpis",
           "reason_pieces", "refresh", "refresh_state", "shift_kpis", "shift_window",
           "work_order_kpis"]

#: Role an operator needs to assign or split downtime reasons.
REASON_ROLE = "operator"


def _rec():
    return mes.oeerecord  # noqa: F821 - `mes` is the project library


def _line(line_id, tx=None):
    """The line row with its parsed calendar under "calendar"; raises NotFound."""
    rows = _rec().query("SELECT l.*, c.definition FROM oee_lines l JOIN oee_calendars c "
                        "ON c.calendar_id = l.calendar_id WHERE l.line_id = ?", [line_id], tx)
    if not rows:
        raise mes.errors.NotFound("OEE line %r is not configured." % (line_id,))  # noqa: F821
    line = rows[0]
    line["calendar"] = mes.shiftcalendar.parse_calendar(json.loads(line["definition"]))  # noqa: F821
    return line


def _window(calendar, t_ms):
    inst = mes.shiftcalendar.shift_at(calendar, t_ms)  # noqa: F821
    if inst is None:
        before = [i for i in mes.shiftcalendar.shift_instances(  # noqa: F821
            calendar, t_ms - 8 * mes.shiftcalendar.DAY_MS, t_ms) if i["end_ms"] <= t_ms]  # noqa: F821
        if not before:
            return t_ms, t_ms, None, None
        inst = before[-1]
    return inst["start_ms"], inst["end_ms"], inst["day"], inst["name"]


def shift_window(line_id, t_ms):
    """(start_ms, end_ms, day, name) of the shift at t_ms, else of the last one before it."""
    return _window(_line(line_id)["calendar"], t_ms)


def _rate(machine_id, product, operation, tx=None):
    rows = _rec().query("SELECT product, operation, rate_per_min FROM oee_ideal_rates "
                        "WHERE machine_id = ?", [machine_id], tx)
    table = dict(((r["product"], r["operation"]), r["rate_per_min"]) for r in rows)
    for key in ((product, operation), (product, "*"), ("*", operation), ("*", "*")):
        if key in table:
            return table[key]
    return None


def _intervals(machine_id, start_ms, end_ms, work_order=None):
    rows = _rec().query("SELECT * FROM oee_state_intervals WHERE machine_id = ? AND start_ms < ? "
                        "AND (end_ms IS NULL OR end_ms > ?) ORDER BY start_ms, id",
                        [machine_id, end_ms, start_ms])
    if work_order is not None:
        rows = [r for r in rows if r["work_order"] == work_order]
    return rows


def _counts(m, start_ms, end_ms, work_order=None, rate_machine=None):
    if work_order is None:
        rows = _rec().query("SELECT * FROM oee_count_intervals WHERE machine_id = ? AND "
                            "start_ms >= ? AND start_ms < ? ORDER BY id",
                            [m["machine_id"], start_ms, end_ms])
    else:
        rows = _rec().query("SELECT * FROM oee_count_intervals WHERE machine_id = ? AND "
                            "work_order = ? ORDER BY id", [m["machine_id"], work_order])
    records = []
    rate_of = rate_machine or m["machine_id"]
    known = {}
    for r in rows:
        rec = {"pq": int(r["pq"]), "sq": int(r["sq"]), "rq": int(r["rq"]), "pri_ms": None}
        if rec["pq"]:
            key = (r["product"], r["operation"])
            if key not in known:
                known[key] = mes.oee.pri_ms(_rate(rate_of, key[0], key[1]), rate_of, key[0])  # noqa: F821
            rec["pri_ms"] = known[key]
        records.append(rec)
    return records


def reason_pieces(machine_id, start_ms, end_ms, now_ms, calendar_pieces):
    """(reason, ms, interval_id, category) of stop time inside scheduled time in the window."""
    rows = _rec().query(
        "SELECT r.interval_id, r.start_ms, r.end_ms, r.reason_code, i.category "
        "FROM oee_downtime_reasons r JOIN oee_state_intervals i ON i.id = r.interval_id "
        "WHERE r.machine_id = ? AND r.active AND r.start_ms < ? AND "
        "(r.end_ms IS NULL OR r.end_ms > ?) ORDER BY r.start_ms, r.id",
        [machine_id, end_ms, start_ms])
    result = []
    for r in rows:
        r_end = now_ms if r["end_ms"] is None else r["end_ms"]
        for c_start, c_end, kind, _shift in calendar_pieces:
            if kind != mes.shiftcalendar.SCHEDULED:  # noqa: F821
                continue
            s, e = max(r["start_ms"], c_start, start_ms), min(r_end, c_end, end_ms)
            if e > s:
                result.append((r["reason_code"], e - s, r["interval_id"], r["category"]))
    return result


def machine_kpis(machine_id, start_ms, end_ms, now_ms=None, work_order=None):
    """KPIs of one machine over [start_ms, min(end_ms, now)) (or over one work order); the
    parts counted in the gateway are flushed to the database first."""
    m = _rec().machine(machine_id)
    _rec().flush_counts([machine_id])
    now = _rec().now_ms() if now_ms is None else now_ms
    return _machine_figures(m, _line(m["line_id"]), start_ms, end_ms, now, work_order)


def _machine_figures(m, line, start_ms, end_ms, now, work_order=None):
    stop = min(end_ms, now)
    intervals = _intervals(m["machine_id"], start_ms, stop, work_order)
    if work_order is not None:
        start_ms = max(start_ms, intervals[0]["start_ms"] if intervals else stop)
    stop = max(stop, start_ms)
    short_ms = int(m["short_stop_ms"])
    pieces = mes.shiftcalendar.segments(line["calendar"], start_ms, stop)  # noqa: F821
    buckets = mes.oee.time_buckets(intervals, pieces, start_ms, stop, short_ms, now,  # noqa: F821
                                   fill_gaps=work_order is None)
    result = mes.oee.kpis(buckets, _counts(m, start_ms, stop, work_order),  # noqa: F821
                          bool(line["rework_is_good"]))
    failures = []
    for iv in intervals:
        iv_end = now if iv["end_ms"] is None else iv["end_ms"]
        if iv["category"] == mes.machinestate.UNPLANNED and not mes.machinestate.is_short_stop(  # noqa: F821
                iv["category"], iv_end - iv["start_ms"], short_ms):
            failures.append(min(iv_end, stop) - max(iv["start_ms"], start_ms))
    result["MTBF_s"], result["MTTR_s"] = mes.downtime.mtbf_mttr(result["APT"], failures)  # noqa: F821
    reasons = reason_pieces(m["machine_id"], start_ms, stop, now, pieces)
    if work_order is not None:
        ids = set(iv["id"] for iv in intervals)
        reasons = [p for p in reasons if p[2] in ids]
    result["pareto"] = mes.downtime.pareto([p[:3] for p in reasons])  # noqa: F821
    result["buckets"] = buckets
    result["window"] = [start_ms, stop]
    result["open"] = intervals[-1] if intervals and intervals[-1]["end_ms"] is None else None
    return result


def work_order_kpis(machine_id, work_order, now_ms=None):
    """KPIs of one machine over the state intervals and counts of one work order."""
    now = _rec().now_ms() if now_ms is None else now_ms
    return machine_kpis(machine_id, 0, now, now, work_order)


def line_kpis(line_id, start_ms, end_ms, now_ms=None):
    """Constraint-based line KPIs (see `mes.oee`): constraint time, output counts at constraint PRI."""
    now = _rec().now_ms() if now_ms is None else now_ms
    _rec().flush_counts()
    return _line_figures(_line(line_id), start_ms, end_ms, now)


def _constraint_and_output(line, members):
    if not members:
        raise mes.errors.ConfigurationError("OEE line %r has no machines." % (line["line_id"],))  # noqa: F821
    constraint = line["constraint_machine"]
    if not constraint:
        rated = [(_rate(m["machine_id"], "*", "*"), m["sequence_no"], m["machine_id"])
                 for m in members]
        rated = [r for r in rated if r[0]]
        constraint = min(rated)[2] if rated else members[0]["machine_id"]
    return constraint, line["output_machine"] or members[-1]["machine_id"]


def _line_figures(line, start_ms, end_ms, now, constraint_buckets=None):
    members = _rec().query("SELECT * FROM oee_machines WHERE line_id = ? "
                           "ORDER BY sequence_no, machine_id", [line["line_id"]])
    constraint, output = _constraint_and_output(line, members)
    stop = max(min(end_ms, now), start_ms)
    by_id = dict((m["machine_id"], m) for m in members)
    if constraint not in by_id or output not in by_id:
        raise mes.errors.ConfigurationError(  # noqa: F821
            "Line %r names constraint %r or output %r that is not one of its machines." % (
                line["line_id"], constraint, output))
    buckets = constraint_buckets
    if buckets is None:
        pieces = mes.shiftcalendar.segments(line["calendar"], start_ms, stop)  # noqa: F821
        buckets = mes.oee.time_buckets(_intervals(constraint, start_ms, stop), pieces,  # noqa: F821
                                       start_ms, stop, int(by_id[constraint]["short_stop_ms"]), now)
    counts = _counts(by_id[output], start_ms, stop, None, constraint)
    result = mes.oee.line_kpis(buckets, counts, bool(line["rework_is_good"]))  # noqa: F821
    result["constraint"] = constraint
    result["output"] = output
    return result


def downtime_pareto(machine_id, start_ms, end_ms, now_ms=None):
    """Pareto rows of stop time by effective reason inside scheduled time in the window."""
    return machine_kpis(machine_id, start_ms, end_ms, now_ms)["pareto"]


def assign_reason(username, interval_id, pieces, comment=None):
    """Assign (one piece) or split (several) the reason of a downtime event; audited.

    pieces: [(start_ms, end_ms, reason_code)]; uncovered time keeps the PLC reason. Checks the
    role, the reason codes and that pieces neither overlap nor leave the event. Returns the
    effective reasons [(start, end, reason)] after the change.
    """
    mes.security.require_role(username, REASON_ROLE)  # noqa: F821
    now = _rec().now_ms()

    def work(tx):
        rows = _rec().query("SELECT * FROM oee_state_intervals WHERE id = ?", [interval_id], tx)
        if not rows or rows[0]["category"] == mes.machinestate.RUNNING:  # noqa: F821
            raise mes.errors.NotFound("Downtime event %r does not exist." % (interval_id,))  # noqa: F821
        event = rows[0]
        tree = mes.downtime.parse_reason_tree(  # noqa: F821
            [(r["reason_code"], r["parent_code"]) for r in
             _rec().query("SELECT reason_code, parent_code FROM oee_reasons", [], tx)])
        clean = [(int(p[0]), int(p[1]), mes.compat.text(p[2])) for p in pieces]  # noqa: F821
        for piece in clean:
            mes.downtime.reason_path(tree, piece[2])  # noqa: F821
        clean = mes.downtime.validate_splits(event["start_ms"], event["end_ms"], clean)  # noqa: F821
        old = _rec().query("SELECT start_ms, end_ms, reason_code, source FROM oee_downtime_reasons "
                           "WHERE interval_id = ? AND active ORDER BY start_ms, id",
                           [interval_id], tx)
        plc = [o for o in old if o["source"] == "plc"]
        base = plc[0]["reason_code"] if plc else mes.downtime.reason_for_fault(  # noqa: F821
            {}, event["machine_id"], None, event["category"])
        end = event["end_ms"]
        effective = mes.downtime.effective_reasons(  # noqa: F821
            event["start_ms"], now if end is None else end, base, clean)
        _rec().update("UPDATE oee_downtime_reasons SET active = FALSE WHERE interval_id = ? "
                      "AND active", [interval_id], tx)
        for s, e, reason in effective:
            is_op = [p for p in clean if p[0] <= s and e <= p[1]]
            _rec().update(
                "INSERT INTO oee_downtime_reasons (interval_id, machine_id, start_ms, end_ms, "
                "reason_code, source, assigned_by, assigned_ms, active) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, TRUE)",
                [interval_id, event["machine_id"], s, None if (end is None and e == now) else e,
                 reason, "operator" if is_op else "plc", username if is_op else None, now], tx)
        before = [[o["start_ms"], o["end_ms"], o["reason_code"]] for o in old]
        after = [[s, e, r] for s, e, r in effective]
        _rec().update("INSERT INTO oee_reason_changes (interval_id, changed_by, changed_ms, "
                      "old_pieces, new_pieces, comment) VALUES (?, ?, ?, ?, ?, ?)",
                      [interval_id, username, now, json.dumps(before), json.dumps(after),
                       comment], tx)
        mes.audit.record(username, "oee.downtime.reason", "oee_state_intervals/%d" % interval_id,  # noqa: F821
                         details={"before": before, "after": after}, reason=comment, tx=tx)
        return effective
    return _rec().transaction(work)


def _write(paths, values):
    """Write the values that differ from what the tags hold (one read, one write)."""
    if not paths:
        return
    current = system.tag.readBlocking(paths)  # noqa: F821
    changed = [(p, v) for p, v, qv in zip(paths, values, current)
               if qv.value != v or not qv.quality.isGood()]
    if changed:
        system.tag.writeBlocking([c[0] for c in changed], [c[1] for c in changed])  # noqa: F821


_NO_FIGURES = ("A", "P", "Q", "OEE", "GQ", "PQ", "SQ", "RQ", "MTBF_s", "MTTR_s",
               "performance_over_100", "open", "buckets")


def _machine_tags(m, line, window, now):
    start, end, day, name = window
    status = ""
    try:
        k = _machine_figures(m, line, start, end, now)
        current = k["open"]
    except mes.errors.ConfigurationError as error:  # noqa: F821
        k = dict((key, None) for key in _NO_FIGURES)
        current = _rec().open_interval(m["machine_id"])
        status = error.message
        shown = system.tag.readBlocking([m["oee_path"] + "/Status"])[0].value  # noqa: F821
        if shown != status:
            system.util.getLogger("mes.oee").warn(status)  # noqa: F821
    last_count = _rec().query("SELECT MAX(last_count_ms) AS t FROM oee_count_intervals "
                              "WHERE machine_id = ?", [m["machine_id"]])[0]["t"]
    frozen = current is not None and mes.oee.counter_frozen(  # noqa: F821
        current["category"], current["start_ms"], last_count, now, m["frozen_after_ms"])
    live = {"A": k["A"], "P": k["P"], "Q": k["Q"], "OEE": k["OEE"], "Good": k["GQ"],
            "Total": k["PQ"], "Scrap": k["SQ"], "Rework": k["RQ"], "MTBF": k["MTBF_s"],
            "MTTR": k["MTTR_s"], "PerformanceOver100": bool(k["performance_over_100"]),
            "CounterFrozen": bool(frozen), "Status": status,
            "Shift": "" if name is None else "%s %s" % (day, name),
            "State": None if current is None else current["state_code"],
            "Category": "" if current is None else current["category"],
            "StateSeconds": 0.0 if current is None else (now - current["start_ms"]) / 1000.0,
            "WorkOrder": (current or {}).get("work_order") or ""}
    paths = [m["oee_path"] + "/" + key for key in sorted(live)]
    return paths, [live[key] for key in sorted(live)], k["buckets"]


def refresh_state(m, now_ms=None):
    """Write a machine's live state tags (State, Category, StateSeconds, WorkOrder) from its open
    interval: what a state change shows at once; the figures follow at the next refresh."""
    now = _rec().now_ms() if now_ms is None else now_ms
    current = _rec().open_interval(m["machine_id"])
    live = {"State": None if current is None else current["state_code"],
            "Category": "" if current is None else current["category"],
            "StateSeconds": 0.0 if current is None else (now - current["start_ms"]) / 1000.0,
            "WorkOrder": (current or {}).get("work_order") or ""}
    _write([m["oee_path"] + "/" + key for key in sorted(live)], [live[key] for key in sorted(live)])


def shift_kpis(machine_id, t_ms=None):
    """KPIs of one machine over the shift at t_ms (default now; the last shift when between)."""
    m = _rec().machine(machine_id)
    _rec().flush_counts([machine_id])
    now = _rec().now_ms()
    line = _line(m["line_id"])
    start, end, _day, _name = _window(line["calendar"], now if t_ms is None else t_ms)
    return _machine_figures(m, line, start, end, now)


def refresh(line_id=None, now_ms=None, machine_id=None):
    """Write the live OEE tags of every machine and line (or of one line, and of one machine of
    it plus its line); returns the lines done. The gateway's counts are flushed first."""
    now = _rec().now_ms() if now_ms is None else now_ms
    _rec().flush_counts()
    done = []
    for row in _rec().query("SELECT line_id FROM oee_lines ORDER BY line_id", []):
        if line_id is not None and row["line_id"] != line_id:
            continue
        line = _line(row["line_id"])
        window = _window(line["calendar"], now)
        start, end, day, name = window
        paths, values, buckets = [], [], {}
        members = _rec().query("SELECT * FROM oee_machines WHERE line_id = ? "
                               "ORDER BY sequence_no, machine_id", [line["line_id"]])
        for m in members:
            if machine_id is not None and m["machine_id"] != machine_id:
                continue
            p, v, buckets[m["machine_id"]] = _machine_tags(m, line, window, now)
            paths.extend(p)
            values.extend(v)
        status = ""
        try:
            constraint, _output = _constraint_and_output(line, members)
            k = _line_figures(line, start, end, now, buckets.get(constraint))
        except mes.errors.MesError as error:  # noqa: F821
            k = {"A": None, "P": None, "Q": None, "OEE": None, "GQ": None, "PQ": None,
                 "constraint": line["constraint_machine"]}
            status = error.message
        live = {"A": k["A"], "P": k["P"], "Q": k["Q"], "OEE": k["OEE"], "Good": k["GQ"],
                "Total": k["PQ"], "Constraint": k["constraint"] or "", "Status": status,
                "Shift": "" if name is None else "%s %s" % (day, name)}
        for key in sorted(live):
            paths.append(line["oee_path"] + "/" + key)
            values.append(live[key])
        _write(paths, values)
        done.append(line["line_id"])
    return done
