"""Shift calendar: which time is scheduled, which is a planned break, which is not scheduled.

A calendar is a plain dict (stored as JSON in ``oee_calendars.definition``)::

    {"utc_offset_minutes": 60,
     "shifts": [{"name": "Early", "start": "06:00", "end": "14:00", "days": [0, 1, 2, 3, 4],
                 "breaks": [{"name": "Lunch", "start": "10:00", "end": "10:30"}]}]}

``days`` are the weekdays the shift *starts* on (0 = Monday … 6 = Sunday, default every day); a
shift whose end is not after its start runs past midnight. Times are local wall-clock times at a
fixed UTC offset (a plant on daylight-saving time updates the offset with the season). All
instants are epoch milliseconds (integers), so arithmetic is exact on every host.

Decisions: break time is planned downtime (PDOT). A fault that overlaps a planned break is
downtime only outside the break: the plan said the machine would not run then, so the break wins
and the overlap counts as PDOT (the downtime event keeps its full length for MTTR). Production
*during* a break or outside any shift still counts as running time (APT, inside PBT): the parts
were made, so leaving the time out would push performance above 100 %.
"""
from __future__ import absolute_import, division, print_function

import datetime

__all__ = ["BREAK", "DAY_MS", "InvalidCalendar", "SCHEDULED", "UNSCHEDULED", "parse_calendar",
           "segments", "shift_at", "shift_instances"]

DAY_MS = 86400000
MINUTE_MS = 60000
SCHEDULED = "scheduled"
BREAK = "break"
UNSCHEDULED = "unscheduled"
_EPOCH = datetime.date(1970, 1, 1)


class InvalidCalendar(mes.errors.ConfigurationError):  # noqa: F821 - `mes` is the project library
    """A shift calendar is malformed: a bad time, overlapping shifts or a break outside its shift."""
    code = "invalid_shift_calendar"


def _minutes(text, what):
    try:
        hours, minutes = str(text).split(":")
        value = int(hours) * 60 + int(minutes)
    except (TypeError, ValueError):
        raise InvalidCalendar("%s time %r is not HH:MM." % (what, text))
    if value < 0 or value > 24 * 60:
        raise InvalidCalendar("%s time %r is outside 00:00-24:00." % (what, text))
    return value


def parse_calendar(definition):
    """Validate a calendar dict and return it normalised to minutes (breaks relative to shift start)."""
    if not isinstance(definition, dict) or not definition.get("shifts"):
        raise InvalidCalendar("Calendar %r has no shifts." % (definition,))
    shifts = []
    for raw in definition["shifts"]:
        name = mes.compat.text(raw.get("name"))  # noqa: F821
        start = _minutes(raw.get("start"), "Shift %r start" % (name,))
        end = _minutes(raw.get("end"), "Shift %r end" % (name,))
        length = end - start if end > start else end + 24 * 60 - start
        days = sorted(set(int(d) for d in raw.get("days", range(7))))
        if [d for d in days if d < 0 or d > 6]:
            raise InvalidCalendar("Shift %r days %r must be 0 (Monday) to 6 (Sunday)." % (name, days))
        breaks = []
        for brk in raw.get("breaks", []):
            b_start = (_minutes(brk.get("start"), "Break start") - start) % (24 * 60)
            b_end = (_minutes(brk.get("end"), "Break end") - start) % (24 * 60) or 24 * 60
            if b_end <= b_start or b_end > length:
                raise InvalidCalendar("Break %r of shift %r is not inside the shift." % (
                    brk.get("name"), name))
            breaks.append((b_start, b_end, mes.compat.text(brk.get("name"))))  # noqa: F821
        breaks.sort()
        for first, second in zip(breaks, breaks[1:]):
            if second[0] < first[1]:
                raise InvalidCalendar("Breaks %r and %r of shift %r overlap." % (
                    first[2], second[2], name))
        shifts.append({"name": name, "start": start, "length": length, "days": days,
                       "breaks": breaks})
    return {"utc_offset_ms": int(definition.get("utc_offset_minutes", 0)) * MINUTE_MS,
            "shifts": shifts}


def _local_day(t_ms, offset_ms):
    return (t_ms + offset_ms) // DAY_MS


def shift_instances(calendar, start_ms, end_ms):
    """Shift instances overlapping [start_ms, end_ms), sorted by start.

    Each is {"name", "day" (ISO date the shift starts), "start_ms", "end_ms", "breaks":
    [(start_ms, end_ms, name)]}. Raises InvalidCalendar when two instances overlap.
    """
    offset = calendar["utc_offset_ms"]
    found = []
    for day in range(_local_day(start_ms, offset) - 1, _local_day(end_ms, offset) + 1):
        weekday = (day + 3) % 7  # 1970-01-01 was a Thursday
        midnight = day * DAY_MS - offset
        for shift in calendar["shifts"]:
            if weekday not in shift["days"]:
                continue
            s = midnight + shift["start"] * MINUTE_MS
            e = s + shift["length"] * MINUTE_MS
            if e <= start_ms or s >= end_ms:
                continue
            found.append({
                "name": shift["name"], "start_ms": s, "end_ms": e,
                "day": (_EPOCH + datetime.timedelta(days=day)).isoformat(),
                "breaks": [(s + b[0] * MINUTE_MS, s + b[1] * MINUTE_MS, b[2])
                           for b in shift["breaks"]]})
    found.sort(key=lambda inst: (inst["start_ms"], inst["name"]))
    for first, second in zip(found, found[1:]):
        if second["start_ms"] < first["end_ms"]:
            raise InvalidCalendar("Shifts %r and %r overlap on %s." % (
                first["name"], second["name"], second["day"]))
    return found


def shift_at(calendar, t_ms):
    """The shift instance containing instant t_ms, or None outside every shift."""
    for inst in shift_instances(calendar, t_ms, t_ms + 1):
        if inst["start_ms"] <= t_ms < inst["end_ms"]:
            return inst
    return None


def segments(calendar, start_ms, end_ms):
    """Partition [start_ms, end_ms) into (start, end, kind, shift_name) pieces, in time order.

    kind is SCHEDULED, BREAK or UNSCHEDULED; shift_name is None when unscheduled. The pieces
    cover the window exactly, without gaps or overlaps.
    """
    pieces = []
    cursor = start_ms
    for inst in shift_instances(calendar, start_ms, end_ms):
        marks = [(inst["start_ms"], SCHEDULED)]
        for b_start, b_end, _name in inst["breaks"]:
            marks.append((b_start, BREAK))
            marks.append((b_end, SCHEDULED))
        marks.append((inst["end_ms"], None))
        if inst["start_ms"] > cursor:
            pieces.append((cursor, min(inst["start_ms"], end_ms), UNSCHEDULED, None))
        for (s, kind), (e, _next) in zip(marks, marks[1:]):
            s, e = max(s, start_ms), min(e, end_ms)
            if e > s:
                pieces.append((s, e, kind, inst["name"]))
        cursor = max(cursor, min(inst["end_ms"], end_ms))
    if cursor < end_ms:
        pieces.append((cursor, end_ms, UNSCHEDULED, None))
    return pieces
