"""The item master: item id and revision, description, unit of measure, tracking (lot|serial|bulk).

Items usually arrive from the ERP; an engineer may define them by hand. Other areas add columns of
their own to the `item` table; this module reads and writes only the columns named here.
"""
from __future__ import absolute_import, division, print_function

__all__ = ["TRACKING", "UnknownItem", "define", "get"]

TRACKING = ("lot", "serial", "bulk")


class UnknownItem(mes.errors.NotFound):  # noqa: F821
    """No item with that id and revision."""
    code = "unknown_item"


def _text(name, value):
    if not isinstance(value, mes.compat.string_types) or not value.strip():  # noqa: F821
        raise mes.errors.InvalidInput("Item %s must be non-blank text, got %r." % (name, value))  # noqa: F821
    return value


def define(actor, item_id, revision, description, uom, tracking, tx=None):
    """Create or update an item revision (engineer role); returns (item_id, revision)."""
    _text("id", item_id)
    _text("revision", revision)
    _text("unit of measure", uom)
    if tracking not in TRACKING:
        raise mes.errors.InvalidInput("Item tracking must be one of %s, got %r." % (  # noqa: F821
            "|".join(TRACKING), tracking))

    def work(tx):
        tm = mes.transaction  # noqa: F821
        mes.security.require_role(actor, "engineer", tx)  # noqa: F821
        args = [description, uom, tracking, item_id, revision]
        if tm.update("UPDATE items SET description = ?, uom = ?, tracking = ? "
                     "WHERE item_id = ? AND revision = ?", args, tx) == 0:
            tm.update("INSERT INTO items (description, uom, tracking, item_id, revision) "
                      "VALUES (?, ?, ?, ?, ?)", args, tx)
        mes.audit.record(actor, "item.define", "item/%s/%s" % (item_id, revision),  # noqa: F821
                         {"description": description, "uom": uom, "tracking": tracking}, None, tx)
        return (item_id, revision)
    return mes.transaction.run(work, tx)  # noqa: F821


def get(item_id, revision, tx=None):
    """The item revision as a dict; raises UnknownItem."""
    def work(tx):
        found = mes.transaction.one(  # noqa: F821
            "SELECT item_id, revision, description, uom, tracking FROM items "
            "WHERE item_id = ? AND revision = ?", [item_id, revision], tx)
        if found is None:
            raise UnknownItem("Unknown item %r revision %r." % (item_id, revision))
        return found
    return mes.transaction.run(work, tx)  # noqa: F821
