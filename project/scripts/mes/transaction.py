"""One database transaction around every MES action, plus the few query helpers the actions share.

`run(work, tx)` is the unit of work: when the caller already holds a transaction (`tx` given) the
work joins it; otherwise a new one is begun, committed when `work(tx)` returns and rolled back on
any error (Python or Java), so an action is written completely or not at all. Rows come back as
plain dicts with lower-case column names. Generated ids come from `id {{id}}` columns
(`insert`); times are bound as gateway dates (TIMESTAMP, naive UTC) and shown as ISO text.
"""
from __future__ import absolute_import, division, print_function

import datetime

__all__ = ["DATABASE", "insert", "iso", "iso_from_millis", "millis", "now", "now_iso", "one",
           "rows", "run", "scalar", "update"]

#: The project default database ("" in Ignition); callers never name a site database here.
DATABASE = ""

_EPOCH = datetime.datetime(1970, 1, 1)


def run(work, tx=None, database=None):
    """Run `work(tx)` inside a transaction and return its result.

    Args:
        work: a function of one argument, the transaction id.
        tx: an open transaction to join; None begins, commits and closes a new one.
        database: the connection name; None for the project default.
    """
    if tx is not None:
        return work(tx)
    tx = system.db.beginTransaction(database if database is not None else DATABASE)  # noqa: F821
    try:
        try:
            result = work(tx)
            system.db.commitTransaction(tx)  # noqa: F821
        except:  # noqa: E722 - Java exceptions too: roll back whatever failed, then re-raise it
            system.db.rollbackTransaction(tx)  # noqa: F821
            raise
    finally:
        system.db.closeTransaction(tx)  # noqa: F821
    return result


def _plain_text(value):
    """ASCII text from JDBC (unicode on Jython) as `str`, so messages that show it with %r read the
    same on every host ('WO-1', not u'WO-1'); other values unchanged."""
    if mes.compat.PY2 and isinstance(value, mes.compat.text_type):  # noqa: F821
        try:
            return value.encode("ascii")
        except UnicodeError:
            return value
    return value


def rows(sql, args, tx):
    """Run a `?`-placeholder SELECT in `tx` and return a list of dicts keyed by lower-case column."""
    ds = system.db.runPrepQuery(sql, list(args), DATABASE, tx)  # noqa: F821
    names = [str(name).lower() for name in ds.getColumnNames()]
    result = []
    for index in range(len(ds)):
        row = ds[index]
        result.append(dict((names[c], _plain_text(row[c])) for c in range(len(names))))
    return result


def one(sql, args, tx):
    """The single row of a SELECT as a dict, or None when there is none."""
    found = rows(sql, args, tx)
    return found[0] if found else None


def scalar(sql, args, tx):
    """The value of a one-column SELECT's first row, or None when there is none."""
    found = rows(sql, args, tx)
    if not found:
        return None
    return list(found[0].values())[0]


def update(sql, args, tx):
    """Run a `?`-placeholder INSERT/UPDATE/DELETE in `tx` and return the number of rows affected."""
    return system.db.runPrepUpdate(sql, list(args), DATABASE, tx)  # noqa: F821


def insert(sql, args, tx):
    """Run a `?`-placeholder INSERT into a table with an `id {{id}}` key; returns the new id."""
    return int(system.db.runPrepUpdate(sql, list(args), DATABASE, tx, True))  # noqa: F821


def now():
    """The gateway clock (what TIMESTAMP columns are bound with)."""
    return system.date.now()  # noqa: F821


def millis(moment):
    """A gateway date (or a TIMESTAMP read back) as integer milliseconds since 1970 UTC."""
    return int(system.date.toMillis(moment))  # noqa: F821


def iso(moment):
    """A gateway date as `YYYY-MM-DDTHH:MM:SS.mmmZ`, or None for None (for JSON results)."""
    return None if moment is None else iso_from_millis(millis(moment))


def iso_from_millis(millis):
    """Milliseconds since the epoch as `YYYY-MM-DDTHH:MM:SS.mmmZ` (UTC), the same on every host."""
    millis = int(millis)
    stamp = _EPOCH + datetime.timedelta(milliseconds=millis)
    return "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ" % (
        stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second,
        millis % 1000)


def now_iso():
    """The gateway clock formatted by `iso_from_millis`."""
    return iso_from_millis(millis(now()))
