"""The stored side of material: the transaction wrapper, genealogy units and the lot journal.

Every material write goes through `in_transaction`, so a rejected scan, split or merge leaves the
database exactly as it was. Units (`mat_units`) give every lot and every serial one integer id,
the node id of the genealogy graph.
"""
from __future__ import absolute_import, division, print_function

import datetime
import re

__all__ = ["ItemNotFound", "WrongTracking", "fmt", "in_transaction", "insert_unit", "item_tracking",
           "journal", "now", "one", "query", "require_tracking", "rows", "shown", "today_date", "today_iso",
           "unit", "update"]


class ItemNotFound(mes.errors.NotFound):  # noqa: F821
    code = "item_not_found"


class WrongTracking(mes.errors.InvalidInput):  # noqa: F821
    code = "wrong_tracking"


def rows(dataset):
    """A PyDataSet (or the harness's) as a list of plain dicts keyed by column name."""
    columns = [mes.compat.text(c) for c in dataset.getColumnNames()]  # noqa: F821
    result = []
    for row in dataset:
        values = [row[i] for i in range(len(columns))]
        result.append(dict(zip(columns, values)))
    return result


def query(sql, args, tx=None, database=""):
    """Run a SELECT with `?` placeholders; return a list of dicts."""
    return rows(system.db.runPrepQuery(sql, list(args), database, tx))  # noqa: F821


def one(sql, args, tx=None, database=""):
    """The first row of a SELECT as a dict, or None."""
    found = query(sql, args, tx, database)
    return found[0] if found else None


def update(sql, args, tx=None, database="", get_key=False):
    """Run an INSERT/UPDATE/DELETE; the row count, or the new id when `get_key`."""
    return system.db.runPrepUpdate(sql, list(args), database, tx, get_key)  # noqa: F821


def in_transaction(work, database=""):
    """Call `work(tx)` inside one DB transaction: commit on return, roll back on any error."""
    tx = system.db.beginTransaction(database)  # noqa: F821
    try:
        try:
            result = work(tx)
        except:  # noqa: E722 - Java exceptions on Jython are not Exceptions; roll back on all
            system.db.rollbackTransaction(tx)  # noqa: F821
            raise
        system.db.commitTransaction(tx)  # noqa: F821
        return result
    finally:
        system.db.closeTransaction(tx)  # noqa: F821


def now():
    """The gateway clock's current instant, as the DB layer binds it."""
    return system.date.now()  # noqa: F821


def today_iso(instant=None):
    """The calendar date of `instant` (default: now) as `YYYY-MM-DD`."""
    when = instant if instant is not None else now()
    day = datetime.date(system.date.getYear(when), system.date.getMonth(when) + 1,  # noqa: F821
                        system.date.getDayOfMonth(when))  # noqa: F821
    return day.isoformat()


def today_date(instant=None):
    """The calendar date of `instant` (default: now) as a `datetime.date`."""
    text = today_iso(instant)
    return datetime.date(int(text[:4]), int(text[5:7]), int(text[8:10]))


def insert_unit(kind, item_id, code, tx, database=""):
    """Create the genealogy unit of a new lot or serial; return its id."""
    return update("INSERT INTO mat_units (kind, item_id, code) VALUES (?, ?, ?)",
                  [kind, item_id, code], tx, database, get_key=True)


def unit(unit_id, tx=None, database=""):
    """The unit row {id, kind, item_id, code} or None."""
    return one("SELECT id, kind, item_id, code FROM mat_units WHERE id = ?", [unit_id], tx, database)


def journal(tx, unit_id, kind, qty, qty_after, status_after, actor, at, wo_id=None, op_seq=None,
            bom_line_id=None, station=None, related_unit_id=None, reason=None, database=""):
    """Append one row to the lot transaction journal; return its id."""
    return update(
        "INSERT INTO lot_transactions (unit_id, kind, qty, qty_after, status_after, wo_id, op_seq, "
        "bom_line_id, station, related_unit_id, actor, reason, at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [unit_id, kind, qty, qty_after, status_after, wo_id, op_seq, bom_line_id, station,
         related_unit_id, actor, reason, at], tx, database, get_key=True)


def item_tracking(item_id, tx=None, database=""):
    """The tracking (lot, serial or bulk) of `item_id` in the item master; ItemNotFound if absent."""
    found = query("SELECT tracking FROM items WHERE item_id = ? ORDER BY revision DESC", [item_id], tx, database)
    if not found:
        raise ItemNotFound(mes.inventory.fmt("Item %r is not in the item master.", item_id), expected="a defined item", got=item_id)
    return mes.compat.text(found[0]["tracking"])  # noqa: F821


def require_tracking(item_id, allowed, tx=None, database=""):
    """Raise WrongTracking unless the item's tracking is one of `allowed`; return the tracking."""
    tracking = item_tracking(item_id, tx, database)
    if tracking not in allowed:
        raise WrongTracking(mes.inventory.fmt("Item %r is tracked by %s; expected %s.", item_id, tracking, " or ".join(allowed)),
                            expected=list(allowed), got=tracking)
    return tracking


_SPEC = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[a-zA-Z%]")


def shown(value):
    """`repr`-like text of a value that reads the same on every host (no u'' or L suffixes)."""
    if isinstance(value, mes.compat.string_types):  # noqa: F821
        return u"'" + mes.compat.text(value).replace(u"\\", u"\\\\").replace(u"'", u"\\'") + u"'"  # noqa: F821
    if isinstance(value, bool) or value is None:
        return u"%s" % (value,)
    if isinstance(value, mes.compat.integer_types):  # noqa: F821
        return u"%d" % (value,)
    if isinstance(value, (list, tuple)):
        inner = u", ".join(shown(v) for v in value)
        return u"[" + inner + u"]" if isinstance(value, list) else u"(" + inner + (u",)" if len(value) == 1 else u")")
    return mes.compat.text(repr(value))  # noqa: F821


class _Shown(object):
    def __init__(self, value):
        self.value = value

    def __repr__(self):
        return shown(self.value)


def fmt(template, *args):
    """`template % args` where every %r shows its value as `shown` does (same text on Jython and CPython)."""
    values = list(args)
    index = 0
    for match in _SPEC.finditer(template):
        spec = match.group(0)
        if spec == "%%":
            continue
        if spec.endswith("r") and index < len(values):
            values[index] = _Shown(values[index])
        index += 1
    return template % tuple(values)
