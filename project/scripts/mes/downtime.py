"""Downtime reasons: the reason tree, PLC fault code -> reason, operator splits, Pareto, MTBF/MTTR.

A downtime event is one state interval whose category is not running. Its reason starts as the
one the PLC gave (the fault code through the fault map) and an operator may later assign another
reason or split the event into pieces with different reasons (audited by the caller).

Decisions, taken once:

* Default reason: a fault code found in the fault map (machine-specific entries before the ``*``
  wildcard) gives its reason; otherwise an unplanned stop is ``unassigned`` and every other stop
  category is its own reason code (``starved``, ``blocked``, ``changeover``, ``planned``,
  ``unknown``, ``idle``), which are roots of every reason tree.
* Splits: each piece lies inside the event and pieces never overlap (``OverlappingReasons``);
  time not covered by a piece keeps the event's reason. A piece that reaches the end of an event
  still open is clipped to the instant the event closes.
* MTTR = failure time / failures, MTBF = running time (APT) / failures, where a failure is an
  unplanned stop that is an availability loss (not a short stop). Both are None without failures.
* Pareto: reasons sorted by total time (longest first), ties by reason code, with counts and the
  cumulative share.
"""
from __future__ import absolute_import, division, print_function

__all__ = ["CATEGORY_REASONS", "InvalidReasonTree", "OverlappingReasons", "SplitOutsideEvent",
           "UNASSIGNED", "effective_reasons", "mtbf_mttr", "pareto", "parse_reason_tree",
           "reason_for_fault", "reason_path", "validate_splits"]

UNASSIGNED = "unassigned"
#: Reason codes that exist in every tree: one per non-running category, plus "unassigned".
CATEGORY_REASONS = ("blocked", "changeover", "idle", "planned", "starved", "unassigned",
                    "unknown")


class InvalidReasonTree(mes.errors.ConfigurationError):  # noqa: F821 - `mes` is the project library
    """A reason names a parent that does not exist, or the parents form a cycle."""
    code = "invalid_reason_tree"


class OverlappingReasons(mes.errors.InvalidInput):  # noqa: F821
    """Two reason pieces of one downtime event overlap in time."""
    code = "overlapping_downtime_reasons"


class SplitOutsideEvent(mes.errors.InvalidInput):  # noqa: F821
    """A reason piece starts before or ends after its downtime event, or is empty."""
    code = "downtime_split_outside_event"


def parse_reason_tree(rows):
    """Build {code: parent_code or None} from (code, parent_code) rows; adds CATEGORY_REASONS."""
    tree = dict((code, None) for code in CATEGORY_REASONS)
    for code, parent in rows:
        tree[mes.compat.text(code)] = mes.compat.text(parent) if parent else None  # noqa: F821
    for code in sorted(tree):
        seen = set([code])
        parent = tree[code]
        while parent is not None:
            if parent not in tree:
                raise InvalidReasonTree("Reason %r names parent %r, which does not exist." % (
                    code, parent))
            if parent in seen:
                raise InvalidReasonTree("Reason %r is its own ancestor." % (code,))
            seen.add(parent)
            parent = tree[parent]
    return tree


def reason_path(tree, code):
    """[root, …, code] for a reason code; raises NotFound for a code not in the tree."""
    if code not in tree:
        raise mes.errors.NotFound("Downtime reason %r is not in the reason tree." % (code,))  # noqa: F821
    path = [code]
    while tree[path[0]] is not None:
        path.insert(0, tree[path[0]])
    return path


def reason_for_fault(fault_map, machine_id, fault_code, category):
    """The PLC-given reason of a stop: fault map entry for the machine, then ``*``, then default."""
    if fault_code not in (None, 0):
        for key in ((machine_id, int(fault_code)), ("*", int(fault_code))):
            if key in fault_map:
                return fault_map[key]
    if category == "unplanned":
        return UNASSIGNED
    return category


def validate_splits(event_start, event_end, pieces):
    """Check operator pieces [(start_ms, end_ms, reason)] of one event; return them sorted.

    Raises SplitOutsideEvent for an empty piece or one outside [event_start, event_end]
    (event_end None = event still open), OverlappingReasons when two pieces overlap.
    """
    ordered = sorted(pieces, key=lambda p: (p[0], p[1]))
    for start, end, reason in ordered:
        if end <= start or start < event_start or (event_end is not None and end > event_end):
            raise SplitOutsideEvent(
                "Reason %r for %r..%r is empty or outside its downtime event %r..%r." % (
                    reason, start, end, event_start, event_end))
    for first, second in zip(ordered, ordered[1:]):
        if second[0] < first[1]:
            raise OverlappingReasons("Reasons %r (%r..%r) and %r (%r..%r) overlap." % (
                first[2], first[0], first[1], second[2], second[0], second[1]))
    return ordered


def effective_reasons(event_start, event_end, event_reason, pieces):
    """Partition [event_start, event_end) into (start, end, reason): pieces, gaps keep event_reason."""
    result = []
    cursor = event_start
    for start, end, reason in sorted(pieces, key=lambda p: (p[0], p[1])):
        start, end = max(start, cursor), min(end, event_end)
        if end <= start:
            continue
        if start > cursor:
            result.append((cursor, start, event_reason))
        result.append((start, end, reason))
        cursor = end
    if cursor < event_end:
        result.append((cursor, event_end, event_reason))
    return result


def pareto(pieces):
    """Aggregate (reason, duration_ms, event_id) pieces into Pareto rows, longest first.

    Each row: {"reason", "duration_ms", "events" (distinct events), "share", "cumulative"}; shares
    are fractions of the total downtime (0 when there is none).
    """
    totals = {}
    events = {}
    for reason, duration, event_id in pieces:
        totals[reason] = totals.get(reason, 0) + duration
        events.setdefault(reason, set()).add(event_id)
    grand = sum(totals.values())
    rows = []
    running = 0
    for reason in sorted(totals, key=lambda r: (-totals[r], r)):
        running += totals[reason]
        rows.append({"reason": reason, "duration_ms": totals[reason],
                     "events": len(events[reason]),
                     "share": totals[reason] / grand if grand else 0.0,
                     "cumulative": running / grand if grand else 0.0})
    return rows


def mtbf_mttr(apt_ms, failure_durations_ms):
    """(MTBF seconds, MTTR seconds) from running time and the durations of failures."""
    failures = len(failure_durations_ms)
    if failures == 0:
        return None, None
    return apt_ms / 1000.0 / failures, sum(failure_durations_ms) / 1000.0 / failures
