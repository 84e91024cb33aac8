"""OEE gateway events: machine tag changes, the refresh timer, startup and shutdown.

Each entry point is what a gateway event script calls. They keep recording through a database
outage: counter changes are counted in memory tags without the database (flushed by the refresh
timer once it is back); a failed database call is logged as a warning and the event ends;
the refresh timer re-reads every State tag and records a state the intervals do not show (with
the tag's timestamp), which also repairs state changes dropped from a full event queue. A State
change writes the machine's live state tags; the figures are refreshed by the timer. Any other
error is raised as usual.
"""
from __future__ import absolute_import, division, print_function

__all__ = ["handle_tag_change", "on_shutdown", "on_startup", "on_timer", "sync_counters",
           "sync_states"]

def _rec():
    return mes.oeerecord  # noqa: F821 - `mes` is the project library


def _guarded(what, work):
    """Run work(); a database failure is logged and returns None, anything else is raised."""
    return mes.outage.skip_when_unreachable("mes.oee", "OEE " + what, work)  # noqa: F821


def _member(path):
    folder, _sep, member = str(path).rpartition("/")
    return folder, member


def handle_tag_change(tag_path, qv, initial_change=False):
    """Route a machine tag change (State, FaultCode or a counter) to the recorder."""
    def work():
        folder, member = _member(tag_path)
        m = _rec().machine_by_source(folder)
        if m is None:
            return False
        good = qv is not None and qv.quality is not None and qv.quality.isGood()
        value = None if qv is None else qv.value
        stamp = _rec().qv_millis(qv, _rec().now_ms())
        if member == "State":
            if _rec().on_state(m["machine_id"], value, good, stamp):
                mes.oeelive.refresh_state(m)  # noqa: F821
            return True
        if member == "FaultCode":
            return _rec().on_fault(m["machine_id"], value if good else None, stamp)
        if member in _rec().COUNTERS:
            if not initial_change:  # the next change counts from the last reading taken in
                _rec().count(m["machine_id"], member, value, good)
            return True
        return False
    return _guarded("tag change of %s" % (tag_path,), work)


def sync_states(now_ms=None):
    """Record every State reading that differs from its machine's open interval; returns ids."""
    now = _rec().now_ms() if now_ms is None else now_ms
    machines = _rec().machines()
    if not machines:
        return []
    open_rows = _rec().query("SELECT machine_id, state_code, good_quality FROM oee_state_intervals "
                             "WHERE end_ms IS NULL ORDER BY id", [])
    current = dict((r["machine_id"], r) for r in open_rows)
    qvs = system.tag.readBlocking(["[default]" + m["source_path"] + "/State"  # noqa: F821
                                   for m in machines])
    changed = []
    for m, qv in zip(machines, qvs):
        good = qv.quality is not None and qv.quality.isGood()
        row = current.get(m["machine_id"])
        if row is not None and row["state_code"] == _rec().as_state_code(qv.value) and \
                bool(row["good_quality"]) == good:
            continue
        if row is None and not good:
            continue
        if _rec().on_state(m["machine_id"], qv.value, good, _rec().qv_millis(qv, now)):
            changed.append(m["machine_id"])
    return changed


def sync_counters():
    """Take in every counter whose tag (Good) differs from the last reading the events took in;
    returns the parts added.

    This catches changes the events missed (a full event queue, an event skipped because its
    first reading could not reach the database). Only counters with a reading taken in are looked
    at (the first reading is a baseline, set by the events).
    """
    rows = _rec().configured()["rows"]
    keys, paths = [], []
    for m in rows:
        for name in sorted(_rec().COUNTERS):
            keys.append((m, name))
            paths.append("[default]" + m["source_path"] + "/" + name)
            paths.append(_rec().counter_tags(m, name)[0])
    if not paths:
        return 0
    qvs = system.tag.readBlocking(paths)  # noqa: F821
    added = 0
    for index, (m, name) in enumerate(keys):
        qv, last = qvs[2 * index], qvs[2 * index + 1].value
        if last is None or qv.value is None or qv.quality is None or not qv.quality.isGood():
            continue
        if int(qv.value) != int(last):
            added += _rec().count(m["machine_id"], name, qv.value, True)
    return added


def on_timer():
    """The refresh timer: catch up on missed state and counter changes, then flush the counts to
    the database and write the live tags."""
    def work():
        now = _rec().now_ms()
        sync_states(now)
        sync_counters()
        return mes.oeelive.refresh(now_ms=now)  # noqa: F821 - flushes the counts first
    return _guarded("refresh", work)


def on_startup():
    """Reopen or close intervals left by the last shutdown from the current State readings.

    Counters are not read here: the first counter change after the start is counted against the
    reading stored before the shutdown, so the parts made while the gateway was down are counted
    once, whatever the counter tags show before the device connection is up.
    """
    def work():
        now = _rec().now_ms()
        sync_states(now)
        return mes.oeelive.refresh(now_ms=now)  # noqa: F821
    return _guarded("startup", work)


def on_shutdown():
    """Close the open state intervals (reopened after the start when the state did not change)."""
    return _guarded("shutdown", _rec().close_for_shutdown)
