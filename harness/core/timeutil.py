"""Gateway time: naive datetimes on the harness timeline (UTC), and their epoch milliseconds.

The harness gateway keeps time as naive `datetime.datetime` values in UTC so that replays are the same
on every host and in every time zone; `system.date` and tag timestamps use these helpers.
"""
from __future__ import absolute_import, division, print_function

import datetime

from .compat import string_types

__all__ = ["EPOCH", "from_millis", "parse_timestamp", "to_millis"]

EPOCH = datetime.datetime(1970, 1, 1)

_FORMATS = ("%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%dT%H:%M:%S.%f", "%Y-%m-%d %H:%M:%S",
            "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d")


def to_millis(moment):
    """Milliseconds since the epoch of a naive UTC datetime (an int, exact to the millisecond)."""
    delta = moment - EPOCH
    return (delta.days * 86400 + delta.seconds) * 1000 + delta.microseconds // 1000


def from_millis(millis):
    """The naive UTC datetime `millis` milliseconds after the epoch."""
    return EPOCH + datetime.timedelta(milliseconds=int(millis))


def parse_timestamp(value):
    """A datetime from a datetime, epoch millis, or an ISO-like string ("2026-01-05 06:00:00").

    Raises ValueError naming the value when it is none of these.
    """
    if isinstance(value, datetime.datetime):
        return value
    if isinstance(value, datetime.date):
        return datetime.datetime(value.year, value.month, value.day)
    if isinstance(value, bool):
        raise ValueError("%r is not a timestamp" % (value,))
    if isinstance(value, (int, float)) or type(value).__name__ == "long":
        return from_millis(value)
    if isinstance(value, string_types):
        text = value.strip()
        if text.endswith("Z"):
            text = text[:-1]
        for fmt in _FORMATS:
            try:
                return datetime.datetime.strptime(text, fmt)
            except ValueError:
                continue
    raise ValueError("%r is not a timestamp (expected a datetime, epoch millis or "
                     "'yyyy-MM-dd HH:mm:ss')" % (value,))
