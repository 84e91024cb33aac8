"""Operator assigns and splits a downtime reason; bad splits and missing roles are refused.

Calendar Early 06:00-14:00, filler fault 101 -> jam. Minutes from 06:00: 0-30 running,
30-50 fault 101 (PLC reason jam, 20 min), 50-60 running. At minute 55:
  bob (no operator role) assigns -> missing_role, nothing changes
  alice splits 30-42 jam, 42-50 material -> accepted, audited once
  alice splits 30-45 jam, 40-50 material -> overlapping_downtime_reasons, nothing changes
  alice assigns "nonsense"     -> not_found (not in the reason tree), nothing changes
  alice assigns 25-50 material -> downtime_split_outside_event
Pareto over 0-60 afterwards: jam 12 min, material 8 min (1 event each); the named query
oee/downtime_pareto gives the same (no break in the window).
"""
from __future__ import absolute_import, division, print_function

import copy

import io
import os

PROJECT = "project"
_HELPER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_oee_timeline.py")
with io.open(_HELPER, encoding="utf-8") as _handle:
    exec(compile(_handle.read(), _HELPER, "exec"))

MIN = 60000
TIMELINE = [(0, "OutfeedCount", 0), (0, "RejectCount", 0), (0, "State", 1),
            (30, "FaultCode", 101), (30, "State", 5), (50, "State", 1), (50, "FaultCode", 0)]


def _attempt(gw, user, interval_id, pieces):
    try:
        gw.call("mes.oeelive.assign_reason", user, interval_id, pieces, "operator entry")
        return "ok"
    except Exception as error:  # the scenario records which rejection it was
        return getattr(error, "code", type(error).__name__)


def run(gw):
    gw.call("mes.security.bootstrap_admin", "admin", "admin-secret", 1000)
    gw.call("mes.security.create_user", "admin", "alice", "alice-secret", ["operator"], None, 1000)
    gw.call("mes.security.create_user", "admin", "bob", "bob-secret", ["quality"], None, 1000)
    gw.call("mes.oeeconfig.configure", copy.deepcopy(CONFIG))
    play(gw, TIMELINE, 55)
    rows = gw.call("mes.oeerecord.query", "SELECT id FROM oee_state_intervals WHERE machine_id = ? "
                   "AND category = ? ORDER BY start_ms", ["Line1/Filler", "unplanned"])
    event = rows[0]["id"]
    t = lambda minute: START_MS + minute * MIN  # noqa: E731
    outcomes = [
        _attempt(gw, "bob", event, [(t(30), t(50), "material")]),
        _attempt(gw, "alice", event, [(t(30), t(42), "jam"), (t(42), t(50), "material")]),
        _attempt(gw, "alice", event, [(t(30), t(45), "jam"), (t(40), t(50), "material")]),
        _attempt(gw, "alice", event, [(t(30), t(50), "nonsense")]),
        _attempt(gw, "alice", event, [(t(25), t(50), "material")]),
    ]
    play(gw, [], 60 - 55)
    pareto = gw.call("mes.oeelive.downtime_pareto", "Line1/Filler", t(0), t(60))
    raw = gw.system.db.runNamedQuery("oee/downtime_pareto", {
        "machine_id": "Line1/Filler", "from_ms": t(0), "to_ms": t(60)})
    changes = gw.call("mes.oeerecord.query", "SELECT changed_by, old_pieces, new_pieces "
                      "FROM oee_reason_changes ORDER BY id", [])
    audit = gw.call("mes.oeerecord.query", "SELECT actor, action, subject, reason FROM audit_trail "
                    "WHERE action = ? ORDER BY seq", ["oee.downtime.reason"])
    return {"outcomes": outcomes,
            "pareto": [[r["reason"], r["duration_ms"], r["events"]] for r in pareto],
            "changes": [[c["changed_by"], c["old_pieces"], c["new_pieces"]] for c in changes],
            "audit": [[a["actor"], a["action"], a["subject"], a["reason"]] for a in audit],
            "event_id": event,
            "named_query": [[row["reason_code"], int(row["duration_ms"]), int(row["events"])]
                            for row in raw]}
