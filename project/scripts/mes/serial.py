"""Serial numbers: one unit each, unique per item, optionally born from a lot and a work order.

Status: `released` (usable), `quarantine`, `hold`, `consumed` (built into another unit),
`scrapped`. A serial is consumed whole (quantity 1).
"""
from __future__ import absolute_import, division, print_function

__all__ = ["DuplicateSerial", "STATUSES", "SerialNotFound", "SerialNotUsable", "get", "insert", "register",
           "usability_error"]

STATUSES = ("released", "quarantine", "hold", "consumed", "scrapped")

_COLUMNS = "unit_id, item_id, serial_no, lot_unit_id, status, wo_id"


class DuplicateSerial(mes.errors.StateConflict):  # noqa: F821
    code = "duplicate_serial"


class SerialNotFound(mes.errors.NotFound):  # noqa: F821
    code = "serial_not_found"


class SerialNotUsable(mes.errors.StateConflict):  # noqa: F821
    code = "serial_not_usable"


def usability_error(serial):
    """The error that forbids consuming `serial` (a dict), or None."""
    if serial["status"] != "released":
        return SerialNotUsable(mes.inventory.fmt("Serial %r of item %r has status %r; expected 'released'.", 
            serial["serial_no"], serial["item_id"], serial["status"]),
            serial=serial["serial_no"], expected="released", got=serial["status"])
    return None


def get(serial_no, item_id=None, tx=None, database=""):
    """The serial dict; SerialNotFound if unknown, InvalidInput if the number is used by several items."""
    if item_id is not None:
        found = mes.inventory.query("SELECT " + _COLUMNS + " FROM serials WHERE serial_no = ? AND item_id = ?",  # noqa: F821
                                    [serial_no, item_id], tx, database)
    else:
        found = mes.inventory.query("SELECT " + _COLUMNS + " FROM serials WHERE serial_no = ? ORDER BY unit_id",  # noqa: F821
                                    [serial_no], tx, database)
    if not found:
        raise SerialNotFound(mes.inventory.fmt("Serial %r%s does not exist.", serial_no, "" if item_id is None else " of item %r" % (item_id,)),
                             expected="a known serial", got=serial_no)
    if len(found) > 1:
        raise mes.errors.InvalidInput(mes.inventory.fmt("Serial %r exists for items %s; scan a GS1 label that names the item.",   # noqa: F821
            serial_no, ", ".join(sorted(r["item_id"] for r in found))), expected="one item",
            got=sorted(r["item_id"] for r in found))
    return found[0]


def insert(tx, item_id, serial_no, status, at, lot_unit_id=None, wo_id=None, database=""):
    """Create a serial inside the caller's transaction; DuplicateSerial if the item already has it."""
    if status not in STATUSES:
        raise mes.errors.InvalidInput(mes.inventory.fmt("Serial status %r is unknown; expected one of %s.", status, ", ".join(STATUSES)),  # noqa: F821
                                      expected=list(STATUSES), got=status)
    if not serial_no:
        raise mes.errors.InvalidInput(mes.inventory.fmt("Serial number %r is empty.", serial_no), expected="a serial number", got=serial_no)  # noqa: F821
    if mes.inventory.one("SELECT unit_id FROM serials WHERE item_id = ? AND serial_no = ?", [item_id, serial_no], tx, database):  # noqa: F821
        raise DuplicateSerial(mes.inventory.fmt("Serial %r of item %r already exists.", serial_no, item_id),
                              expected=mes.inventory.fmt("a serial new for item %r", item_id), got=serial_no)
    unit_id = mes.inventory.insert_unit("serial", item_id, serial_no, tx, database)  # noqa: F821
    mes.inventory.update(  # noqa: F821
        "INSERT INTO serials (unit_id, item_id, serial_no, lot_unit_id, status, wo_id, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [unit_id, item_id, serial_no, lot_unit_id, status, wo_id, at, at], tx, database)
    return unit_id


def register(item_id, serial_no, actor, status="released", lot_no=None, wo_id=None, database=""):
    """Register a serial (received or produced); return its dict. DuplicateSerial if it exists."""
    mes.security.require_role(actor, mes.lot.ROLE_HANDLE)  # noqa: F821

    def work(tx):
        mes.inventory.require_tracking(item_id, ("serial",), tx, database)  # noqa: F821
        lot_unit_id = None
        if lot_no is not None:
            lot_unit_id = mes.lot.get(lot_no, item_id, tx, database)["unit_id"]  # noqa: F821
        at = mes.inventory.now()  # noqa: F821
        unit_id = insert(tx, item_id, serial_no, status, at, lot_unit_id, wo_id, database)
        mes.inventory.journal(tx, unit_id, "receipt" if wo_id is None else "production", 1.0, 1.0, status, actor, at,  # noqa: F821
                              wo_id=wo_id, database=database)
        mes.audit.record(actor, "serial.register", serial_no, {"item_id": item_id, "wo_id": wo_id}, None, tx)  # noqa: F821
        return get(serial_no, item_id, tx, database)
    return mes.inventory.in_transaction(work, database)  # noqa: F821
