"""Labor: who worked on what, for how long — direct time on work-order operations, indirect time
on codes (cleaning, training, meeting), crews clocked on together; hours summed for the ERP.

An operator has at most one open labor entry: clocking on to something new closes the open entry
first (switching jobs is one action on the floor). Starting an operation clocks the starter on;
completing, pausing or holding it clocks everyone off it; signing out closes the open entry.
Durations are stored in integer milliseconds so sums are exact; hours = milliseconds / 3 600 000.
"""
from __future__ import absolute_import, division, print_function

__all__ = ["UnknownCrew", "UnknownIndirectCode", "clock_off", "clock_on", "clock_on_crew",
           "clock_on_indirect", "close_for_operation", "close_open", "define_crew",
           "define_indirect_code", "hours", "open_entry"]


class UnknownIndirectCode(mes.errors.NotFound):  # noqa: F821
    """No indirect labor code with that name."""
    code = "unknown_indirect_code"


class UnknownCrew(mes.errors.NotFound):  # noqa: F821
    """No crew with that id."""
    code = "unknown_crew"


def _tm():
    return mes.transaction  # noqa: F821


def define_indirect_code(actor, code, description, tx=None):
    """Create or update an indirect labor code (lead role)."""
    if not isinstance(code, mes.compat.string_types) or not code.strip():  # noqa: F821
        raise mes.errors.InvalidInput("An indirect code must be non-blank text, got %r." % (code,))  # noqa: F821

    def work(tx):
        mes.security.require_role(actor, "lead", tx)  # noqa: F821
        if _tm().update("UPDATE indirect_codes SET description = ? WHERE code = ?",
                        [description, code], tx) == 0:
            _tm().update("INSERT INTO indirect_codes (description, code) VALUES (?, ?)",
                         [description, code], tx)
        mes.audit.record(actor, "labor.define_indirect_code", "indirect/" + code,  # noqa: F821
                         {"description": description}, None, tx)
        return code
    return _tm().run(work, tx)


def define_crew(actor, crew_id, members, description=None, tx=None):
    """Create or replace a crew and its members (lead role)."""
    if not isinstance(crew_id, mes.compat.string_types) or not crew_id.strip():  # noqa: F821
        raise mes.errors.InvalidInput("A crew id must be non-blank text, got %r." % (crew_id,))  # noqa: F821

    def work(tx):
        mes.security.require_role(actor, "lead", tx)  # noqa: F821
        for username in members:
            mes.security.require_role(username, "operator", tx)  # noqa: F821
        if _tm().update("UPDATE crews SET description = ? WHERE crew_id = ?",
                        [description, crew_id], tx) == 0:
            _tm().update("INSERT INTO crews (description, crew_id) VALUES (?, ?)",
                         [description, crew_id], tx)
        _tm().update("DELETE FROM crew_members WHERE crew_id = ?", [crew_id], tx)
        for username in sorted(set(members)):
            _tm().update("INSERT INTO crew_members (crew_id, username) VALUES (?, ?)",
                         [crew_id, username], tx)
        mes.audit.record(actor, "labor.define_crew", "crew/" + crew_id,  # noqa: F821
                         {"members": sorted(set(members))}, None, tx)
        return crew_id
    return _tm().run(work, tx)


def open_entry(username, tx=None):
    """The user's open labor entry as a dict, or None."""
    return _tm().run(lambda tx: _tm().one(
        "SELECT id, username, station_id, kind, wo_id, op_seq, indirect_code, crew_id, "
        "clock_on FROM labor_entries WHERE username = ? AND clock_off IS NULL",
        [username], tx), tx)


def _close(entry, actor, tx):
    now = _tm().now()
    duration = _tm().millis(now) - _tm().millis(entry["clock_on"])
    _tm().update("UPDATE labor_entries SET clock_off = ?, duration_ms = ? WHERE id = ?",
                 [now, duration, entry["id"]], tx)
    mes.audit.record(actor, "labor.clock_off", "labor/%d" % int(entry["id"]),  # noqa: F821
                     {"username": entry["username"], "duration_ms": duration}, None, tx)


def close_open(username, actor, tx):
    """Close the user's open entry (if any) inside `tx`; returns how many were closed (0 or 1)."""
    entry = open_entry(username, tx)
    if entry is None:
        return 0
    _close(entry, actor, tx)
    return 1


def close_for_operation(wo_id, op_seq, actor, tx):
    """Close every open direct entry on an operation inside `tx`; returns the usernames."""
    found = _tm().rows("SELECT id, username, clock_on FROM labor_entries WHERE wo_id = ? "
                       "AND op_seq = ? AND clock_off IS NULL ORDER BY id",
                       [wo_id, op_seq], tx)
    for entry in found:
        _close(entry, actor, tx)
    return [mes.compat.text(e["username"]) for e in found]  # noqa: F821


def _open(username, station_id, kind, wo_id, op_seq, code, crew_id, tx):
    close_open(username, username, tx)
    entry_id = _tm().insert(
        "INSERT INTO labor_entries (username, station_id, kind, wo_id, op_seq, indirect_code, "
        "crew_id, clock_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [username, station_id, kind, wo_id, op_seq, code, crew_id, _tm().now()], tx)
    mes.audit.record(username, "labor.clock_on", "labor/%d" % entry_id,  # noqa: F821
                     {"station_id": station_id, "kind": kind, "wo_id": wo_id, "op_seq": op_seq,
                      "indirect_code": code, "crew_id": crew_id}, None, tx)
    return entry_id


def _direct_check(username, station_id, wo_id, op_seq, tx):
    mes.security.require_role(username, "operator", tx)  # noqa: F821
    mes.security.require_signed_in(username, station_id, tx)  # noqa: F821
    op = mes.operation.get(wo_id, op_seq, tx)  # noqa: F821
    mes.operation.check_station(op, station_id, tx, False)  # noqa: F821 - crews share an op
    if op["status"] != "in_progress":
        raise mes.errors.StateConflict(  # noqa: F821
            "Cannot clock on to %s/%r: the operation is %r, not in progress."
            % (wo_id, op_seq, op["status"]))
    return op


def clock_on(username, station_id, wo_id, op_seq, tx=None):
    """Clock `username` on to a running operation (direct labor); returns the entry id."""
    def work(tx):
        _direct_check(username, station_id, wo_id, op_seq, tx)
        return _open(username, station_id, "direct", wo_id, int(op_seq), None, None, tx)
    return _tm().run(work, tx)


def clock_on_crew(actor, crew_id, wo_id, op_seq, tx=None):
    """A lead clocks every member of a crew on to an operation at the stations they are signed in
    at; returns {username: entry id}. Every member must be signed in at a station of the
    operation's work center, else nothing is written."""
    def work(tx):
        mes.security.require_role(actor, "lead", tx)  # noqa: F821
        if _tm().one("SELECT crew_id FROM crews WHERE crew_id = ?", [crew_id], tx) is None:
            raise UnknownCrew("Unknown crew %r." % (crew_id,))
        members = [mes.compat.text(r["username"]) for r in _tm().rows(  # noqa: F821
            "SELECT username FROM crew_members WHERE crew_id = ? ORDER BY username",
            [crew_id], tx)]
        entries = {}
        for username in members:
            station_id = mes.security.signed_in_station(username, tx)  # noqa: F821
            if station_id is None:
                raise mes.security.NotSignedIn(  # noqa: F821
                    "Crew member %r is not signed in at any station." % (username,))
            _direct_check(username, station_id, wo_id, op_seq, tx)
            current = open_entry(username, tx)
            if current is not None and current["kind"] == "direct" and \
                    current["wo_id"] == wo_id and int(current["op_seq"]) == int(op_seq):
                entries[username] = int(current["id"])  # already on it: keep the entry
                continue
            entries[username] = _open(username, mes.compat.text(station_id), "direct",  # noqa: F821
                                      wo_id, int(op_seq), None, crew_id, tx)
        return entries
    return _tm().run(work, tx)


def clock_on_indirect(username, station_id, code, tx=None):
    """Clock `username` on to an indirect code at their station; returns the entry id."""
    def work(tx):
        mes.security.require_signed_in(username, station_id, tx)  # noqa: F821
        if _tm().one("SELECT code FROM indirect_codes WHERE code = ?", [code], tx) is None:
            raise UnknownIndirectCode("Unknown indirect labor code %r." % (code,))
        return _open(username, station_id, "indirect", None, None, code, None, tx)
    return _tm().run(work, tx)


def clock_off(username, actor=None, tx=None):
    """Clock `username` off their open entry (a lead may do it for them); returns the entry id."""
    actor = actor or username

    def work(tx):
        if actor != username:
            mes.security.require_role(actor, "lead", tx)  # noqa: F821
        entry = open_entry(username, tx)
        if entry is None:
            raise mes.errors.StateConflict("User %r is not clocked on." % (username,))  # noqa: F821
        _close(entry, actor, tx)
        return int(entry["id"])
    return _tm().run(work, tx)


def hours(wo_id=None, tx=None):
    """Closed labor summed per work order, operation, operator and kind, ready for the ERP.

    Returns a list of dicts {wo_id, op_seq, username, kind, indirect_code, hours, entries},
    sorted; `hours` is total milliseconds / 3 600 000.
    """
    if wo_id is None:
        sql, args = ("SELECT wo_id, op_seq, username, kind, indirect_code, SUM(duration_ms) AS ms, "
                     "COUNT(*) AS entries FROM labor_entries WHERE clock_off IS NOT NULL "
                     "GROUP BY wo_id, op_seq, username, kind, indirect_code "
                     "ORDER BY kind, wo_id, op_seq, username, indirect_code"), []
    else:
        sql, args = ("SELECT wo_id, op_seq, username, kind, indirect_code, SUM(duration_ms) AS ms, "
                     "COUNT(*) AS entries FROM labor_entries WHERE clock_off IS NOT NULL AND "
                     "wo_id = ? GROUP BY wo_id, op_seq, username, kind, indirect_code "
                     "ORDER BY kind, wo_id, op_seq, username, indirect_code"), [wo_id]

    def work(tx):
        result = []
        for row in _tm().rows(sql, args, tx):
            text = mes.compat.text  # noqa: F821
            result.append({"wo_id": text(row["wo_id"]),
                           "op_seq": None if row["op_seq"] is None else int(row["op_seq"]),
                           "username": text(row["username"]), "kind": text(row["kind"]),
                           "indirect_code": text(row["indirect_code"]),
                           "hours": int(row["ms"]) / 3600000.0,
                           "entries": int(row["entries"])})
        return result
    return _tm().run(work, tx)
