"""Lots and sublots: status rules, receipt, status changes, split and merge.

Status: `released` (usable), `quarantine` (received, awaiting inspection), `hold` (blocked by
quality), `expired` (past its expiry date), `consumed` (quantity used up; terminal).
Decision: a lot is usable through the whole of its expiry day and expired from the next day on,
whether or not the daily `expire_due` run has yet written `expired`; a lot whose quantity reaches
zero becomes `consumed`.

Split moves quantity from a lot to a new sublot (same item, expiry and status, `parent_unit_id` set);
merge moves the whole quantity of source lots into a target lot of the same item. Both record
genealogy edges (kind `split`/`merge`), so traces follow them; a merge whose target already feeds
one of its sources would close a cycle and is refused.
"""
from __future__ import absolute_import, division, print_function

__all__ = ["InsufficientQuantity", "InvalidQuantity", "LotConsumed", "LotExists", "LotExpired",
           "LotNotFound", "LotOnHold", "LotQuarantined", "MergeRejected", "STATUSES", "StatusChangeRefused",
           "check_quantity", "check_transition", "check_usable", "expire_due", "find", "get", "insert",
           "is_expired", "merge", "plan_merge", "plan_split", "receive", "set_status", "split",
           "usability_error"]

STATUSES = ("released", "quarantine", "hold", "expired", "consumed")

# from -> statuses it may be moved to by a person (consumed is reached only by using the quantity)
TRANSITIONS = {
    "quarantine": ("released", "hold"),
    "released": ("hold", "quarantine", "expired"),
    "hold": ("released", "quarantine", "expired"),
    "expired": ("hold",),
    "consumed": (),
}

ROLE_HANDLE = "operator"
ROLE_RELEASE = "quality"

_LOT_COLUMNS = ("unit_id, item_id, lot_no, parent_unit_id, status, qty, uom, expiry_date, location, "
                "status_reason")


class LotNotFound(mes.errors.NotFound):  # noqa: F821
    code = "lot_not_found"


class LotExists(mes.errors.StateConflict):  # noqa: F821
    code = "lot_exists"


class LotOnHold(mes.errors.StateConflict):  # noqa: F821
    code = "lot_on_hold"


class LotQuarantined(mes.errors.StateConflict):  # noqa: F821
    code = "lot_quarantined"


class LotExpired(mes.errors.StateConflict):  # noqa: F821
    code = "lot_expired"


class LotConsumed(mes.errors.StateConflict):  # noqa: F821
    code = "lot_consumed"


class InsufficientQuantity(mes.errors.StateConflict):  # noqa: F821
    code = "insufficient_quantity"


class InvalidQuantity(mes.errors.InvalidInput):  # noqa: F821
    code = "invalid_quantity"


class StatusChangeRefused(mes.errors.StateConflict):  # noqa: F821
    code = "status_change_refused"


class MergeRejected(mes.errors.StateConflict):  # noqa: F821
    code = "merge_rejected"


# ---------------------------------------------------------------- rules (plain values in, no I/O)

def is_expired(expiry_date, today):
    """True when the ISO date `expiry_date` lies before the ISO date `today` (None never expires)."""
    return bool(expiry_date) and expiry_date < today


def usability_error(lot, today):
    """The error that forbids consuming from `lot` (a dict) on ISO date `today`, or None."""
    status = lot["status"]
    name = lot["lot_no"]
    if status == "hold":
        return LotOnHold(mes.inventory.fmt("Lot %r is on hold (%s); expected status 'released'.", name, lot.get("status_reason") or "no reason given"),
                         lot=name, expected="released", got=status)
    if status == "quarantine":
        return LotQuarantined(mes.inventory.fmt("Lot %r is in quarantine; expected status 'released'.", name),
                              lot=name, expected="released", got=status)
    if status == "consumed" or (status == "released" and not lot["qty"] > 0):
        return LotConsumed(mes.inventory.fmt("Lot %r is consumed (quantity %r); expected a released lot with stock.", name, lot["qty"]),
                           lot=name, expected="released", got="consumed")
    if status == "expired" or is_expired(lot.get("expiry_date"), today):
        return LotExpired(mes.inventory.fmt("Lot %r expired on %s; expected an expiry on or after %s.", name, lot.get("expiry_date"), today),
                          lot=name, expected=">= " + today, got=lot.get("expiry_date"))
    if status != "released":
        return mes.errors.StateConflict(mes.inventory.fmt("Lot %r has status %r; expected 'released'.", name, status),  # noqa: F821
                                        lot=name, expected="released", got=status)
    return None


def check_usable(lot, today):
    """Raise the error that forbids consuming from `lot` today; return the lot otherwise."""
    error = usability_error(lot, today)
    if error is not None:
        raise error
    return lot


def _is_quantity(qty):
    """True for an int or float that is not a bool and not NaN (what a quantity may be)."""
    return (not isinstance(qty, bool) and isinstance(qty, mes.compat.integer_types + (float,))  # noqa: F821
            and qty == qty)


def check_quantity(lot, qty):
    """Raise InvalidQuantity for qty <= 0, InsufficientQuantity when the lot holds less."""
    if not _is_quantity(qty) or not qty > 0:
        raise InvalidQuantity(mes.inventory.fmt("Quantity %r must be greater than 0.", qty), expected="> 0", got=qty)
    if qty > lot["qty"] + 1e-9:
        raise InsufficientQuantity(mes.inventory.fmt("Lot %r holds %r %s; %r %s requested.", lot["lot_no"], lot["qty"], lot["uom"], qty, lot["uom"]),
                                   lot=lot["lot_no"], expected=qty, got=lot["qty"])


def check_transition(lot, new_status):
    """Raise StatusChangeRefused unless a person may move `lot` to `new_status`."""
    if new_status not in STATUSES:
        raise mes.errors.InvalidInput(mes.inventory.fmt("Lot status %r is unknown; expected one of %s.", new_status, ", ".join(STATUSES)),  # noqa: F821
                                      expected=list(STATUSES), got=new_status)
    allowed = TRANSITIONS.get(lot["status"], ())
    if new_status not in allowed:
        raise StatusChangeRefused(mes.inventory.fmt("Lot %r cannot go from %r to %r; allowed: %s.", 
            lot["lot_no"], lot["status"], new_status, ", ".join(allowed) or "none"),
            lot=lot["lot_no"], expected=list(allowed), got=new_status)


def plan_split(lot, qty, new_lot_no):
    """Check a split of `qty` from `lot` into sublot `new_lot_no`; return the parent's new quantity."""
    check_quantity(lot, qty)
    if lot["status"] == "consumed":
        raise LotConsumed(mes.inventory.fmt("Lot %r is consumed; expected a lot with stock to split.", lot["lot_no"]),
                          lot=lot["lot_no"], expected="released", got="consumed")
    if not qty < lot["qty"]:
        raise InvalidQuantity(mes.inventory.fmt("Split of %r from lot %r leaves nothing; expected less than %r.", qty, lot["lot_no"], lot["qty"]),
                              expected=mes.inventory.fmt("< %r", lot["qty"]), got=qty)
    if not new_lot_no or new_lot_no == lot["lot_no"]:
        raise mes.errors.InvalidInput(mes.inventory.fmt("Sublot number %r must be new and differ from %r.", new_lot_no, lot["lot_no"]),  # noqa: F821
                                      expected="a new lot number", got=new_lot_no)
    return lot["qty"] - qty


def plan_merge(sources, target, today):
    """Check merging `sources` (lot dicts) into `target`; return the target's new quantity."""
    if not sources:
        raise mes.errors.InvalidInput("Merge needs at least one source lot; got none.", expected=">= 1", got=0)  # noqa: F821
    seen = set()
    total = target["qty"]
    for src in sources:
        if src["unit_id"] == target["unit_id"]:
            raise MergeRejected(mes.inventory.fmt("Lot %r cannot be merged into itself.", src["lot_no"]),
                                expected="a different lot", got=src["lot_no"])
        if src["unit_id"] in seen:
            raise MergeRejected(mes.inventory.fmt("Lot %r is listed twice in one merge.", src["lot_no"]),
                                expected="each lot once", got=src["lot_no"])
        seen.add(src["unit_id"])
        if src["item_id"] != target["item_id"]:
            raise MergeRejected(mes.inventory.fmt("Lot %r is item %r; expected item %r of target lot %r.", 
                src["lot_no"], src["item_id"], target["item_id"], target["lot_no"]),
                expected=target["item_id"], got=src["item_id"])
        if src["uom"] != target["uom"]:
            raise MergeRejected(mes.inventory.fmt("Lot %r is in %r; expected %r.", src["lot_no"], src["uom"], target["uom"]),
                                expected=target["uom"], got=src["uom"])
        check_usable(src, today)
        total += src["qty"]
    if target["status"] not in ("released", "quarantine", "hold"):
        raise MergeRejected(mes.inventory.fmt("Target lot %r has status %r; expected released, quarantine or hold.", 
            target["lot_no"], target["status"]), expected="released", got=target["status"])
    return total


# ---------------------------------------------------------------- I/O

def get(lot_no, item_id=None, tx=None, database=""):
    """The lot dict for `lot_no` (of `item_id` when given); LotNotFound if none.

    A plain lot number shared by lots of several items needs `item_id`; without it the lot of the
    lowest unit id is returned only when there is exactly one.
    """
    if item_id is not None:
        found = mes.inventory.query("SELECT " + _LOT_COLUMNS + " FROM lots WHERE lot_no = ? AND item_id = ?",  # noqa: F821
                                    [lot_no, item_id], tx, database)
    else:
        found = mes.inventory.query("SELECT " + _LOT_COLUMNS + " FROM lots WHERE lot_no = ? ORDER BY unit_id",  # noqa: F821
                                    [lot_no], tx, database)
    if not found:
        raise LotNotFound(mes.inventory.fmt("Lot %r%s does not exist.", lot_no, "" if item_id is None else " of item %r" % (item_id,)),
                          expected="a known lot", got=lot_no)
    if len(found) > 1:
        raise mes.errors.InvalidInput(mes.inventory.fmt("Lot number %r exists for items %s; scan a GS1 label that names the item.",   # noqa: F821
            lot_no, ", ".join(sorted(r["item_id"] for r in found))), expected="one item", got=sorted(r["item_id"] for r in found))
    return found[0]


def find(lot_no, tx=None, database=""):
    """Every lot with number `lot_no` (any item), ordered by unit id."""
    return mes.inventory.query("SELECT " + _LOT_COLUMNS + " FROM lots WHERE lot_no = ? ORDER BY unit_id",  # noqa: F821
                               [lot_no], tx, database)


def insert(tx, item_id, lot_no, qty, uom, status, expiry_date, location, parent_unit_id, at, database=""):
    """Create a lot inside the caller's transaction; LotExists if the item already has that number."""
    if mes.inventory.one("SELECT unit_id FROM lots WHERE item_id = ? AND lot_no = ?", [item_id, lot_no], tx, database):  # noqa: F821
        raise LotExists(mes.inventory.fmt("Lot %r of item %r already exists.", lot_no, item_id), expected="a new lot number", got=lot_no)
    unit_id = mes.inventory.insert_unit("lot", item_id, lot_no, tx, database)  # noqa: F821
    mes.inventory.update(  # noqa: F821
        "INSERT INTO lots (unit_id, item_id, lot_no, parent_unit_id, status, qty, uom, expiry_date, location, "
        "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [unit_id, item_id, lot_no, parent_unit_id, status, qty, uom, expiry_date, location, at, at], tx, database)
    return unit_id


def receive(item_id, lot_no, qty, uom, actor, expiry_date=None, status="quarantine", location=None,
            kind="receipt", wo_id=None, database="", tx=None):
    """Book a new lot in (`kind` receipt, or production for a WO output); return the lot dict.

    A lot received straight as `released` needs the quality role, like any release. `tx`: join
    the caller's transaction (None: one of its own).
    """
    mes.security.require_role(actor, ROLE_RELEASE if status == "released" else ROLE_HANDLE, tx)  # noqa: F821
    if status not in ("released", "quarantine", "hold"):
        raise mes.errors.InvalidInput(mes.inventory.fmt("A new lot's status %r must be released, quarantine or hold.", status),  # noqa: F821
                                      expected=["released", "quarantine", "hold"], got=status)
    if not _is_quantity(qty) or qty < 0:
        raise InvalidQuantity(mes.inventory.fmt("Quantity %r must be 0 or more.", qty), expected=">= 0", got=qty)

    def work(tx):
        mes.inventory.require_tracking(item_id, ("lot", "bulk"), tx, database)  # noqa: F821
        at = mes.inventory.now()  # noqa: F821
        unit_id = insert(tx, item_id, lot_no, qty, uom, status, expiry_date, location, None, at, database)
        mes.inventory.journal(tx, unit_id, kind, qty, qty, status, actor, at, wo_id=wo_id, database=database)  # noqa: F821
        mes.audit.record(actor, "lot." + kind, lot_no, {"item_id": item_id, "qty": qty, "uom": uom}, None, tx)  # noqa: F821
        return get(lot_no, item_id, tx, database)
    if tx is not None:
        return work(tx)
    return mes.inventory.in_transaction(work, database)  # noqa: F821


def set_status(lot_no, item_id, new_status, actor, reason=None, database=""):
    """Move a lot to `new_status` (release needs the quality role); return the lot dict."""
    mes.security.require_role(actor, ROLE_RELEASE if new_status == "released" else ROLE_HANDLE)  # noqa: F821

    def work(tx):
        lot = get(lot_no, item_id, tx, database)
        check_transition(lot, new_status)
        at = mes.inventory.now()  # noqa: F821
        mes.inventory.update("UPDATE lots SET status = ?, status_reason = ?, updated_at = ? WHERE unit_id = ?",  # noqa: F821
                             [new_status, reason, at, lot["unit_id"]], tx, database)
        mes.inventory.journal(tx, lot["unit_id"], "status", 0.0, lot["qty"], new_status, actor, at, reason=reason,  # noqa: F821
                              database=database)
        mes.audit.record(actor, "lot.status", lot_no, {"item_id": lot["item_id"], "from": lot["status"], "to": new_status},  # noqa: F821
                         reason, tx)
        return get(lot_no, lot["item_id"], tx, database)
    return mes.inventory.in_transaction(work, database)  # noqa: F821


def split(lot_no, item_id, qty, new_lot_no, actor, location=None, database=""):
    """Move `qty` of a lot into a new sublot `new_lot_no`; return the sublot dict."""
    mes.security.require_role(actor, ROLE_HANDLE)  # noqa: F821

    def work(tx):
        lot = get(lot_no, item_id, tx, database)
        remaining = plan_split(lot, qty, new_lot_no)
        at = mes.inventory.now()  # noqa: F821
        child = insert(tx, lot["item_id"], new_lot_no, qty, lot["uom"], lot["status"], lot["expiry_date"],
                            location if location is not None else lot["location"], lot["unit_id"], at, database)
        changed = mes.inventory.update("UPDATE lots SET qty = ?, updated_at = ? WHERE unit_id = ? AND qty = ?",  # noqa: F821
                                       [remaining, at, lot["unit_id"], lot["qty"]], tx, database)
        if changed != 1:
            raise mes.errors.StateConflict(mes.inventory.fmt("Lot %r changed while splitting; try again.", lot_no),  # noqa: F821
                                           expected=lot["qty"], got="changed")
        mes.inventory.journal(tx, lot["unit_id"], "split", -qty, remaining, lot["status"], actor, at,  # noqa: F821
                              related_unit_id=child, database=database)
        mes.inventory.journal(tx, child, "split", qty, qty, lot["status"], actor, at,  # noqa: F821
                              related_unit_id=lot["unit_id"], database=database)
        mes.genealogy.add_edge(tx, lot["unit_id"], child, "split", at, qty=qty, uom=lot["uom"], operator=actor,  # noqa: F821
                               database=database)
        mes.audit.record(actor, "lot.split", lot_no, {"item_id": lot["item_id"], "qty": qty, "sublot": new_lot_no}, None, tx)  # noqa: F821
        return get(new_lot_no, lot["item_id"], tx, database)
    return mes.inventory.in_transaction(work, database)  # noqa: F821


def merge(source_lot_nos, target_lot_no, item_id, actor, database=""):
    """Move the whole quantity of the source lots into the target lot; return the target dict."""
    mes.security.require_role(actor, ROLE_HANDLE)  # noqa: F821

    def work(tx):
        target = get(target_lot_no, item_id, tx, database)
        sources = [get(name, item_id, tx, database) for name in source_lot_nos]
        today = mes.inventory.today_iso()  # noqa: F821
        total = plan_merge(sources, target, today)
        mes.genealogy.check_no_cycle(tx, [s["unit_id"] for s in sources], target["unit_id"], database)  # noqa: F821
        at = mes.inventory.now()  # noqa: F821
        for src in sources:
            changed = mes.inventory.update(  # noqa: F821
                "UPDATE lots SET qty = 0, status = 'consumed', updated_at = ? WHERE unit_id = ? AND qty = ?",
                [at, src["unit_id"], src["qty"]], tx, database)
            if changed != 1:
                raise mes.errors.StateConflict(mes.inventory.fmt("Lot %r changed while merging; try again.", src["lot_no"]),  # noqa: F821
                                               expected=src["qty"], got="changed")
            mes.inventory.journal(tx, src["unit_id"], "merge", -src["qty"], 0.0, "consumed", actor, at,  # noqa: F821
                                  related_unit_id=target["unit_id"], database=database)
            mes.inventory.journal(tx, target["unit_id"], "merge", src["qty"], target["qty"] + src["qty"],  # noqa: F821
                                  target["status"], actor, at, related_unit_id=src["unit_id"], database=database)
            target["qty"] += src["qty"]
            mes.genealogy.add_edge(tx, src["unit_id"], target["unit_id"], "merge", at, qty=src["qty"],  # noqa: F821
                                   uom=src["uom"], operator=actor, database=database)
        mes.inventory.update("UPDATE lots SET qty = ?, updated_at = ? WHERE unit_id = ?",  # noqa: F821
                             [total, at, target["unit_id"]], tx, database)
        mes.audit.record(actor, "lot.merge", target_lot_no, {"item_id": target["item_id"],  # noqa: F821
                         "sources": list(source_lot_nos)}, None, tx)
        return get(target_lot_no, target["item_id"], tx, database)
    return mes.inventory.in_transaction(work, database)  # noqa: F821


def expire_due(actor="system", database=""):
    """Mark every released or held lot whose expiry date has passed as expired; return their numbers."""
    def work(tx):
        today = mes.inventory.today_iso()  # noqa: F821
        due = mes.inventory.query(  # noqa: F821
            "SELECT " + _LOT_COLUMNS + " FROM lots WHERE status IN ('released', 'hold', 'quarantine') "
            "AND expiry_date IS NOT NULL AND expiry_date < ? ORDER BY unit_id", [today], tx, database)
        at = mes.inventory.now()  # noqa: F821
        for lot in due:
            mes.inventory.update("UPDATE lots SET status = 'expired', updated_at = ? WHERE unit_id = ?",  # noqa: F821
                                 [at, lot["unit_id"]], tx, database)
            mes.inventory.journal(tx, lot["unit_id"], "status", 0.0, lot["qty"], "expired", actor, at,  # noqa: F821
                                  reason="expiry date passed", database=database)
        return [lot["lot_no"] for lot in due]
    return mes.inventory.in_transaction(work, database)  # noqa: F821
