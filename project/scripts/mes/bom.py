"""Bill-of-material lines of a work order, backflush at completion, and the consumption variance.

A line names an item, the quantity per unit made (`qty_per`), optionally the total the order needs
(`qty_required`), the unit of measure, the operation (`op_seq`) and station where it is used
(None = any), and how it is consumed: `actual` (scanned at the point of use, see mes.material) or
`backflush` (deducted at completion as qty_per x good quantity, from released, unexpired lots at
the line's station, first-expiring first).

Variance for ERP: per line, standard = qty_per x completed quantity, actual = what was consumed,
variance = actual - standard, variance_pct = variance / standard x 100 rounded half up to 2 places.
"""
from __future__ import absolute_import, division, print_function

import math

__all__ = ["BomNotFound", "MODES", "backflush", "check_line", "lines", "plan_backflush", "set_lines",
           "variance", "variance_rows"]

MODES = ("actual", "backflush")
ROLE_PLANNER = "engineer"


class BomNotFound(mes.errors.NotFound):  # noqa: F821
    code = "bom_not_found"


def check_line(line):
    """Raise InvalidInput naming the first bad field of one BOM line dict; return it normalised."""
    for field in ("line_no", "item_id", "qty_per", "uom"):
        if line.get(field) in (None, ""):
            raise mes.errors.InvalidInput(mes.inventory.fmt("BOM line field %r is missing.", field), expected=field, got=None)  # noqa: F821
    mode = line.get("consumption_mode", "actual")
    if mode not in MODES:
        raise mes.errors.InvalidInput(mes.inventory.fmt("Consumption mode %r is unknown; expected 'actual' or 'backflush'.", mode),  # noqa: F821
                                      expected=list(MODES), got=mode)
    if not line["qty_per"] > 0:
        raise mes.errors.InvalidInput(mes.inventory.fmt("BOM line %r qty_per %r must be greater than 0.", line["line_no"], line["qty_per"]),  # noqa: F821
                                      expected="> 0", got=line["qty_per"])
    return {"line_no": line["line_no"], "item_id": line["item_id"], "qty_per": float(line["qty_per"]),
            "qty_required": None if line.get("qty_required") is None else float(line["qty_required"]),
            "uom": line["uom"], "consumption_mode": mode, "op_seq": line.get("op_seq"), "station": line.get("station")}


def set_lines(wo_id, bom_lines, actor, database="", tx=None, replace=False):
    """Store the BOM lines of a work order (all or nothing); return them as stored.

    `tx`: join the caller's transaction (None: one of its own). `replace`: the lines replace the
    order's current ones, refused (StateConflict) once anything was consumed against them.
    """
    mes.security.require_role(actor, ROLE_PLANNER, tx)  # noqa: F821
    checked = [check_line(line) for line in bom_lines]
    numbers = [line["line_no"] for line in checked]
    if len(set(numbers)) != len(numbers):
        raise mes.errors.InvalidInput(mes.inventory.fmt("BOM line numbers %r repeat.", numbers), expected="unique line numbers", got=numbers)  # noqa: F821

    def work(tx):
        if replace:
            used = mes.inventory.one(  # noqa: F821
                "SELECT COUNT(*) AS n FROM lot_transactions t JOIN wo_bom_lines b ON b.id = t.bom_line_id "
                "WHERE b.wo_id = ?", [wo_id], tx, database)
            if int(used["n"]):
                raise mes.errors.StateConflict(mes.inventory.fmt(  # noqa: F821
                    "Work order %r has consumption booked against its BOM lines; they cannot be replaced.", wo_id),
                    expected="no consumption", got=int(used["n"]))
            mes.inventory.update("DELETE FROM wo_bom_lines WHERE wo_id = ?", [wo_id], tx, database)  # noqa: F821
        for line in checked:
            mes.inventory.update(  # noqa: F821
                "INSERT INTO wo_bom_lines (wo_id, line_no, item_id, qty_per, qty_required, uom, consumption_mode, op_seq, station) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [wo_id, line["line_no"], line["item_id"], line["qty_per"], line["qty_required"], line["uom"],
                 line["consumption_mode"], line["op_seq"], line["station"]], tx, database)
        mes.audit.record(actor, "bom.set", wo_id, {"lines": len(checked), "replace": bool(replace)}, None, tx)  # noqa: F821
        return lines(wo_id, None, tx, database)
    if tx is not None:
        return work(tx)
    return mes.inventory.in_transaction(work, database)  # noqa: F821


def lines(wo_id, op_seq=None, tx=None, database=""):
    """The BOM lines of a work order (of one operation when op_seq is given) with consumed and remaining."""
    found = mes.inventory.query(  # noqa: F821
        "SELECT b.id, b.line_no, b.item_id, b.qty_per, b.qty_required, b.uom, b.consumption_mode, b.op_seq, b.station, "
        "COALESCE((SELECT SUM(-t.qty) FROM lot_transactions t WHERE t.bom_line_id = b.id AND t.kind = 'consumption'), 0) AS consumed "
        "FROM wo_bom_lines b WHERE b.wo_id = ? ORDER BY b.line_no", [wo_id], tx, database)
    if op_seq is not None:
        found = [line for line in found if line["op_seq"] is None or line["op_seq"] == op_seq]
    if not found:
        raise BomNotFound(mes.inventory.fmt("Work order %r has no BOM lines%s.", wo_id, "" if op_seq is None else " for operation %r" % (op_seq,)),
                          expected="BOM lines", got=wo_id)
    for line in found:
        line["consumed"] = float(line["consumed"] or 0)
        line["remaining"] = None if line["qty_required"] is None else line["qty_required"] - line["consumed"]
        for key in ("item_id", "uom", "consumption_mode", "station"):
            line[key] = mes.compat.text(line[key])  # noqa: F821
    return found


def plan_backflush(need, lots):
    """[(lot, qty)] taking `need` from `lots` in the order given; InsufficientQuantity if they hold less."""
    plan = []
    left = need
    for lot in lots:
        if left <= 1e-9:
            break
        take = min(lot["qty"], left)
        if take > 0:
            plan.append((lot, take))
            left -= take
    if left > 1e-9:
        held = need - left
        raise mes.lot.InsufficientQuantity(mes.inventory.fmt("Backflush needs %r; released unexpired lots hold %r.", need, held),  # noqa: F821
                                           expected=need, got=held)
    return plan


def backflush(wo_id, op_seq, good_qty, actor, station=None, output=None, database=""):
    """Deduct every backflush line of the operation for `good_qty` made; all lines or none. Returns the moves."""
    mes.security.require_role(actor, mes.material.ROLE_OPERATOR)  # noqa: F821
    if good_qty is None or good_qty < 0:
        raise mes.lot.InvalidQuantity(mes.inventory.fmt("Good quantity %r must be 0 or more.", good_qty), expected=">= 0", got=good_qty)  # noqa: F821

    def work(tx):
        today = mes.inventory.today_iso()  # noqa: F821
        target = mes.material.output_unit(wo_id, output, tx, database)  # noqa: F821
        at = mes.inventory.now()  # noqa: F821
        moves = []
        for line in lines(wo_id, op_seq, tx, database):
            if line["consumption_mode"] != "backflush" or not good_qty:
                continue
            where = line["station"] if line["station"] else station
            lots = mes.inventory.query(  # noqa: F821
                "SELECT unit_id, item_id, lot_no, status, qty, uom, expiry_date, location, status_reason FROM lots "
                "WHERE item_id = ? AND status = 'released' AND qty > 0 AND (expiry_date IS NULL OR expiry_date >= ?) "
                "AND (CAST(? AS TEXT) IS NULL OR location = ?) "
                "ORDER BY CASE WHEN expiry_date IS NULL THEN 1 ELSE 0 END, expiry_date, lot_no, unit_id",
                [line["item_id"], today, where, where], tx, database)
            for lot, take in plan_backflush(line["qty_per"] * good_qty, lots):
                left = lot["qty"] - take
                if left < 1e-9:
                    left = 0.0
                status = "consumed" if left == 0.0 else lot["status"]
                mes.inventory.update("UPDATE lots SET qty = ?, status = ?, updated_at = ? WHERE unit_id = ? AND qty = ?",  # noqa: F821
                                     [left, status, at, lot["unit_id"], lot["qty"]], tx, database)
                mes.inventory.journal(tx, lot["unit_id"], "consumption", -take, left, status, actor, at, wo_id=wo_id,  # noqa: F821
                                      op_seq=line["op_seq"], bom_line_id=line["id"], station=where,
                                      related_unit_id=target["id"], database=database)
                mes.genealogy.add_edge(tx, lot["unit_id"], target["id"], "consume", at, qty=take, uom=lot["uom"],  # noqa: F821
                                       wo_id=wo_id, op_seq=line["op_seq"], station=where, operator=actor,
                                       database=database)
                moves.append({"line_no": line["line_no"], "lot": mes.compat.text(lot["lot_no"]),  # noqa: F821
                              "item_id": line["item_id"], "qty": float(take)})
        mes.audit.record(actor, "material.backflush", wo_id, {"op_seq": op_seq, "good_qty": good_qty, "moves": len(moves)}, None, tx)  # noqa: F821
        return moves
    return mes.inventory.in_transaction(work, database)  # noqa: F821


def _half_up(value, places):
    scale = 10 ** places
    return math.floor(value * scale + 0.5) / scale


def variance_rows(bom_lines, completed_qty):
    """Standard vs actual per line (plain values in, list of dicts out)."""
    report = []
    for line in bom_lines:
        standard = line["qty_per"] * completed_qty
        actual = line["consumed"]
        diff = actual - standard
        report.append({"line_no": line["line_no"], "item_id": line["item_id"], "uom": line["uom"],
                       "consumption_mode": line["consumption_mode"], "standard": _half_up(standard, 6),
                       "actual": _half_up(actual, 6), "variance": _half_up(diff, 6),
                       "variance_pct": None if standard == 0 else _half_up(diff * 100.0 / standard, 2)})
    return report


def variance(wo_id, completed_qty=None, database=""):
    """Actual vs standard consumption per BOM line; completed_qty defaults to what was produced."""
    if completed_qty is None:
        row = mes.inventory.one("SELECT COALESCE(SUM(qty), 0) AS made FROM lot_transactions "  # noqa: F821
                                "WHERE wo_id = ? AND kind = 'production'", [wo_id], None, database)
        completed_qty = float(row["made"] or 0)
    return {"wo_id": wo_id, "completed_qty": float(completed_qty), "lines": variance_rows(lines(wo_id, None, None, database), completed_qty)}
