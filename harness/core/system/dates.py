"""system.date over the gateway clock, with Java's conventions.

Dates are naive datetimes on the harness timeline (UTC). Like Ignition: months are 0-based in
getDate/getMonth, getDayOfWeek counts 1 = Sunday, `*Between(d1, d2)` is d2 - d1 truncated toward
zero, and `format`/`parse` take Java SimpleDateFormat patterns (English names).
"""
from __future__ import absolute_import, division, print_function

import calendar
import datetime
import re

from ..compat import text_type
from ..timeutil import from_millis, to_millis
from .namespace import Namespace

__all__ = ["format_date", "make_date_namespace", "parse_date"]

_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"]
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_TOKEN = re.compile(r"'[^']*'|''|([A-Za-z])\1*|[^A-Za-z']+")


def _tokens(pattern):
    for match in _TOKEN.finditer(pattern):
        token = match.group(0)
        if token == "''":
            yield "literal", "'"
        elif token.startswith("'"):
            yield "literal", token[1:-1]
        elif token[0].isalpha():
            yield "field", token
        else:
            yield "literal", token


def _field_text(token, moment):
    letter, width = token[0], len(token)
    if letter == "y":
        return "%02d" % (moment.year % 100) if width == 2 else "%0*d" % (width, moment.year)
    if letter == "M":
        if width >= 4:
            return _MONTHS[moment.month - 1]
        if width == 3:
            return _MONTHS[moment.month - 1][:3]
        return "%0*d" % (width, moment.month)
    if letter == "E":
        name = _DAYS[moment.weekday()]
        return name if width >= 4 else name[:3]
    if letter == "a":
        return "AM" if moment.hour < 12 else "PM"
    if letter == "S":
        return ("%03d" % (moment.microsecond // 1000))[:max(width, 3)] if width <= 3 else \
            "%0*d" % (width, moment.microsecond // 1000)
    if letter in ("z", "Z", "X"):
        return "UTC" if letter == "z" else "+0000"
    values = {"d": moment.day, "H": moment.hour, "k": moment.hour or 24,
              "h": moment.hour % 12 or 12, "K": moment.hour % 12, "m": moment.minute,
              "s": moment.second, "D": moment.timetuple().tm_yday}
    if letter not in values:
        raise ValueError("date pattern letter %r is not supported" % (letter,))
    return "%0*d" % (width, values[letter])


def format_date(moment, pattern="yyyy-MM-dd HH:mm:ss"):
    """`moment` formatted with a Java SimpleDateFormat pattern."""
    parts = []
    for kind, token in _tokens(pattern):
        parts.append(token if kind == "literal" else _field_text(token, moment))
    return text_type(u"".join(parts))


def parse_date(text, pattern="yyyy-MM-dd HH:mm:ss"):
    """Parse `text` with a SimpleDateFormat pattern; ValueError names text and pattern."""
    regex, fields = [], []
    for kind, token in _tokens(pattern):
        if kind == "literal":
            regex.append(re.escape(token))
        elif token[0] == "M" and len(token) >= 3:
            regex.append("([A-Za-z]+)")
            fields.append(token)
        elif token[0] == "E":
            regex.append("[A-Za-z]+")
        elif token[0] == "a":
            regex.append("([AaPp][Mm])")
            fields.append(token)
        elif token[0] in ("z", "Z", "X"):
            regex.append("(?:UTC|GMT|Z|[+-]\\d{2}:?\\d{2})")
        else:
            regex.append("(\\d{1,%d})" % max(len(token), 4 if token[0] == "y" else 2)
                         if token[0] != "S" else "(\\d{1,3})")
            fields.append(token)
    match = re.match("^" + "".join(regex) + "$", text.strip())
    if match is None:
        raise ValueError("%r does not match the date pattern %r" % (text, pattern))
    values = {"y": 1970, "M": 1, "d": 1, "H": 0, "m": 0, "s": 0, "S": 0}
    pm = None
    for token, group in zip(fields, match.groups()):
        letter = token[0]
        if letter == "M" and len(token) >= 3:
            names = [m[:len(group)].lower() for m in _MONTHS]
            values["M"] = names.index(group.lower()) + 1 if group.lower() in names else 0
        elif letter == "a":
            pm = group.lower() == "pm"
        elif letter in ("h", "K", "k"):
            values["H"] = int(group) % (12 if letter in ("h", "K") else 24)
        else:
            values[letter] = int(group)
    if pm:
        values["H"] += 12
    if values["y"] < 100 and "yy" in pattern and "yyy" not in pattern:
        values["y"] += 2000
    try:
        return datetime.datetime(values["y"], values["M"], values["d"], values["H"], values["m"],
                                 values["s"], values["S"] * 1000)
    except ValueError:
        raise ValueError("%r is not a valid date for the pattern %r" % (text, pattern))


def _add_months(moment, months):
    index = moment.year * 12 + (moment.month - 1) + months
    year, month = index // 12, index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def _truncate(value):
    return int(value) if value >= 0 else -int(-value)


def _months_between(start, end):
    """Whole months from start to end, as java.time counts them (Jan 31 -> Feb 28 is 0 months)."""
    months = (end.year - start.year) * 12 + (end.month - start.month)
    start_rest = (start.day, start.hour, start.minute, start.second, start.microsecond)
    end_rest = (end.day, end.hour, end.minute, end.second, end.microsecond)
    if months > 0 and end_rest < start_rest:
        months -= 1
    elif months < 0 and end_rest > start_rest:
        months += 1
    return months


def make_date_namespace(clock):
    """The `system.date` area reading `clock`."""
    millis_between = lambda d1, d2: to_millis(d2) - to_millis(d1)  # noqa: E731

    def between(unit_millis):
        return lambda d1, d2: _truncate(millis_between(d1, d2) / float(unit_millis))

    def adder(unit):
        return lambda date, value: date + datetime.timedelta(**{unit: value})

    def getDate(year, month, day):
        return datetime.datetime(year, month + 1, day)

    def setTime(date, hour, minute, second):
        return date.replace(hour=hour, minute=minute, second=second, microsecond=0)

    def getDayOfWeek(date):
        return (date.weekday() + 1) % 7 + 1

    def isBetween(target, start, end):
        return start <= target <= end

    return Namespace("system.date", {
        "now": clock.now,
        "addMillis": adder("milliseconds"), "addSeconds": adder("seconds"),
        "addMinutes": adder("minutes"), "addHours": adder("hours"), "addDays": adder("days"),
        "addWeeks": adder("weeks"), "addMonths": _add_months,
        "addYears": lambda date, years: _add_months(date, 12 * years),
        "millisBetween": millis_between, "secondsBetween": between(1000),
        "minutesBetween": between(60000), "hoursBetween": between(3600000),
        "daysBetween": between(86400000), "weeksBetween": between(7 * 86400000),
        "monthsBetween": _months_between,
        "yearsBetween": lambda d1, d2: _truncate(_months_between(d1, d2) / 12.0),
        "getDate": getDate, "setTime": setTime,
        "midnight": lambda date: date.replace(hour=0, minute=0, second=0, microsecond=0),
        "getYear": lambda d: d.year, "getMonth": lambda d: d.month - 1,
        "getQuarter": lambda d: (d.month - 1) // 3 + 1, "getDayOfMonth": lambda d: d.day,
        "getDayOfWeek": getDayOfWeek, "getDayOfYear": lambda d: d.timetuple().tm_yday,
        "getHour24": lambda d: d.hour, "getHour12": lambda d: d.hour % 12 or 12,
        "getMinute": lambda d: d.minute, "getSecond": lambda d: d.second,
        "getMillis": lambda d: d.microsecond // 1000, "getAMorPM": lambda d: 0 if d.hour < 12 else 1,
        "format": format_date, "parse": parse_date,
        "toMillis": to_millis, "fromMillis": from_millis,
        "isBefore": lambda d1, d2: d1 < d2, "isAfter": lambda d1, d2: d1 > d2,
        "isBetween": isBetween,
    })
