"""Point-of-use verification and consumption: a scan checked against the work order's BOM, then used.

`consume` takes one scan (GS1 element string or plain lot label) at a station for a work order
and, in one DB transaction, checks in this order — the first failure is raised, naming what was
expected and what came, and nothing is written:
1. the barcode parses (MalformedBarcode) and its GTIN is known (UnknownBarcode);
2. the GTIN's item is on the BOM (WrongItem);
3. the lot or serial exists (UnknownBarcode) and, for a GS1 label, belongs to the label's item
   (LotOfAnotherItem); a plain lot's item is on the BOM (WrongItem);
4. the BOM line for that item is used at this station (WrongStation) and is consumed by scan, not
   backflushed (BackflushedItem);
5. the lot is released and unexpired (LotOnHold, LotQuarantined, LotExpired, LotConsumed) or the
   serial is released (SerialNotUsable); a lot is kept in the line's unit of measure
   (WrongUnitOfMeasure);
6. the lot holds the quantity (InsufficientQuantity).
Then it lowers the lot (a lot reaching zero becomes `consumed`), journals the consumption, writes
the genealogy edge to the work order's output unit and the audit record.

Quantity of a scan: the `qty` given; else the count on the label (AI 30 or 37); else what the BOM
line still needs (qty_required minus consumed), capped by what the lot holds.
Work-order outputs: `open_output` creates the lot or serial the work order is making; consumption
links into the single open output, or into the one named by `output`.
"""
from __future__ import absolute_import, division, print_function

__all__ = ["BackflushedItem", "LotOfAnotherItem", "NoOutputUnit", "ROLE_OPERATOR", "UnknownBarcode",
           "WrongItem", "WrongStation", "WrongUnitOfMeasure", "assign_gtin", "check_item", "check_uom",
           "close_output", "consume", "consume_qty", "open_output", "output_unit", "pick_line",
           "report_production", "resolve_scan"]

ROLE_OPERATOR = "operator"
_EPSILON = 1e-9


class WrongItem(mes.errors.InvalidInput):  # noqa: F821
    code = "wrong_item"


class LotOfAnotherItem(mes.errors.InvalidInput):  # noqa: F821
    code = "lot_of_another_item"


class WrongStation(mes.errors.InvalidInput):  # noqa: F821
    code = "wrong_station"


class WrongUnitOfMeasure(mes.errors.InvalidInput):  # noqa: F821
    code = "wrong_unit_of_measure"


class UnknownBarcode(mes.errors.NotFound):  # noqa: F821
    code = "unknown_barcode"


class BackflushedItem(mes.errors.StateConflict):  # noqa: F821
    code = "backflushed_item"


class NoOutputUnit(mes.errors.StateConflict):  # noqa: F821
    code = "no_output_unit"


# ---------------------------------------------------------------- rules

def check_item(lines, item_id, what, wo_id):
    """Raise WrongItem unless `item_id` is on one of the BOM `lines`."""
    needed = sorted(set(mes.compat.text(line["item_id"]) for line in lines))  # noqa: F821
    if item_id not in needed:
        raise WrongItem(mes.inventory.fmt("%s is item %r; work order %r needs %s here.", what, item_id, wo_id, ", ".join(mes.inventory.shown(i) for i in needed)),
                        expected=needed, got=item_id)


def pick_line(lines, item_id, station):
    """The BOM line a scan of `item_id` at `station` consumes against (lines sorted by line_no)."""
    candidates = [line for line in lines if line["item_id"] == item_id]
    here = [line for line in candidates if not line["station"] or line["station"] == station]
    if not here:
        stations = sorted(set(line["station"] for line in candidates))
        raise WrongStation(mes.inventory.fmt("Item %r is used at station %s, not at %r.", item_id, ", ".join(mes.inventory.shown(s) for s in stations), station),
                           expected=stations, got=station)
    actual = [line for line in here if line["consumption_mode"] == "actual"]
    if not actual:
        raise BackflushedItem(mes.inventory.fmt("Item %r is backflushed at completion; expected a scan of an item consumed by scan.", item_id),
                              expected="actual", got="backflush")
    unfinished = [line for line in actual if line.get("remaining") is None or line["remaining"] > _EPSILON]
    return sorted(unfinished or actual, key=lambda line: line["line_no"])[0]


def check_uom(line, lot):
    """Raise WrongUnitOfMeasure unless the lot is kept in the BOM line's unit of measure."""
    if lot["uom"] != line["uom"]:
        raise WrongUnitOfMeasure(mes.inventory.fmt("Lot %r is kept in %r; BOM line %r of item %r is in %r.",  # noqa: F821
                                 lot["lot_no"], lot["uom"], line["line_no"], line["item_id"], line["uom"]),
                                 expected=line["uom"], got=lot["uom"])


def consume_qty(line, on_hand, requested, label_count):
    """How much a scan consumes: requested, else the label count, else the line's need capped by stock."""
    if requested is not None:
        return requested
    if label_count is not None:
        return label_count
    remaining = line.get("remaining")
    if remaining is not None and remaining > _EPSILON:
        return min(remaining, on_hand)
    raise mes.lot.InvalidQuantity(mes.inventory.fmt("BOM line %r of item %r has no open requirement; expected a quantity with the scan.",   # noqa: F821
        line["line_no"], line["item_id"]), expected="a quantity", got=None)


# ---------------------------------------------------------------- I/O

def _claimed_item(scan, tx, database):
    if scan["gtin"] is None:
        return None
    row = mes.inventory.one("SELECT item_id FROM item_gtins WHERE gtin = ?", [scan["gtin"]], tx, database)  # noqa: F821
    if row is None:
        raise UnknownBarcode(mes.inventory.fmt("GTIN %r is not assigned to any item.", scan["gtin"]), expected="a known GTIN", got=scan["gtin"])
    return mes.compat.text(row["item_id"])  # noqa: F821


def resolve_scan(scan, lines, wo_id, tx=None, database=""):
    """("lot", lot dict) or ("serial", serial dict) for a parsed scan, checked against the BOM items."""
    claimed = _claimed_item(scan, tx, database)
    if claimed is not None:
        check_item(lines, claimed, mes.inventory.fmt("GTIN %r", scan["gtin"]), wo_id)
    if scan["serial"] is not None:
        found = mes.inventory.query("SELECT unit_id, item_id, serial_no, lot_unit_id, status, wo_id FROM serials "  # noqa: F821
                                    "WHERE serial_no = ? ORDER BY unit_id", [scan["serial"]], tx, database)
        unit = _choose(found, claimed, lines, "Serial", scan["serial"])
        return "serial", unit
    found = mes.lot.find(scan["lot"], tx, database)  # noqa: F821
    unit = _choose(found, claimed, lines, "Lot", scan["lot"])
    if scan["expiry"] and not unit["expiry_date"]:
        unit["expiry_date"] = scan["expiry"]
    return "lot", unit


def _choose(found, claimed, lines, noun, code):
    if claimed is not None:
        mine = [row for row in found if row["item_id"] == claimed]
        if not mine and found:
            others = sorted(set(mes.compat.text(row["item_id"]) for row in found))  # noqa: F821
            raise LotOfAnotherItem(mes.inventory.fmt("%s %r belongs to item %s, but the label says item %r.", 
                noun, code, ", ".join(mes.inventory.shown(o) for o in others), claimed), expected=claimed, got=others[0])
        found = mine
    if not found:
        raise UnknownBarcode(mes.inventory.fmt("%s %r is not known%s.", noun, code, "" if claimed is None else " for item %r" % (claimed,)),
                             expected="a known %s" % noun.lower(), got=code)
    if len(found) > 1:
        needed = set(line["item_id"] for line in lines)
        wanted = [row for row in found if row["item_id"] in needed]
        if len(wanted) == 1:
            return wanted[0]
        raise mes.errors.InvalidInput(mes.inventory.fmt("%s %r exists for items %s; scan a GS1 label that names the item.",   # noqa: F821
            noun, code, ", ".join(sorted(mes.inventory.shown(r["item_id"]) for r in found))),  # noqa: F821
            expected="one item", got=sorted(mes.compat.text(r["item_id"]) for r in found))  # noqa: F821
    return found[0]


def output_unit(wo_id, output=None, tx=None, database=""):
    """The unit {id, kind, item_id, code} the work order is producing (the one named, or the only open one)."""
    found = mes.inventory.query(  # noqa: F821
        "SELECT u.id, u.kind, u.item_id, u.code FROM wo_outputs o JOIN mat_units u ON u.id = o.unit_id "
        "WHERE o.wo_id = ? AND o.is_open = ? ORDER BY u.id", [wo_id, True], tx, database)
    if output is not None:
        found = [row for row in found if row["code"] == output]
    if len(found) == 1:
        return found[0]
    if not found:
        raise NoOutputUnit(mes.inventory.fmt("Work order %r has no open output %s; open its output lot or serial first.", 
            wo_id, "" if output is None else mes.inventory.shown(output)), expected="an open output", got=output)
    codes = [mes.compat.text(row["code"]) for row in found]  # noqa: F821
    raise mes.errors.InvalidInput(mes.inventory.fmt("Work order %r has open outputs %s; name the one being built.",   # noqa: F821
        wo_id, ", ".join(mes.inventory.shown(c) for c in codes)), expected=codes, got=output)


def open_output(wo_id, item_id, code, actor, kind="lot", uom="EA", status=None, expiry_date=None, database=""):
    """Create the lot (quantity 0, quarantine) or serial (released) the work order produces, and open it."""
    mes.security.require_role(actor, ROLE_OPERATOR)  # noqa: F821
    if kind not in ("lot", "serial"):
        raise mes.errors.InvalidInput(mes.inventory.fmt("Output kind %r is unknown; expected 'lot' or 'serial'.", kind),  # noqa: F821
                                      expected=["lot", "serial"], got=kind)

    def work(tx):
        at = mes.inventory.now()  # noqa: F821
        if kind == "lot":
            unit_id = mes.lot.insert(tx, item_id, code, 0.0, uom, status or "quarantine", expiry_date,  # noqa: F821
                                          None, None, at, database)
            mes.inventory.journal(tx, unit_id, "production", 0.0, 0.0, status or "quarantine", actor, at,  # noqa: F821
                                  wo_id=wo_id, database=database)
        else:
            unit_id = mes.serial.insert(tx, item_id, code, status or "released", at, None, wo_id, database)  # noqa: F821
            mes.inventory.journal(tx, unit_id, "production", 1.0, 1.0, status or "released", actor, at,  # noqa: F821
                                  wo_id=wo_id, database=database)
        mes.inventory.update("INSERT INTO wo_outputs (wo_id, unit_id, is_open, opened_at) VALUES (?, ?, ?, ?)",  # noqa: F821
                             [wo_id, unit_id, True, at], tx, database)
        mes.audit.record(actor, "material.open_output", wo_id, {"kind": kind, "item_id": item_id, "code": code}, None, tx)  # noqa: F821
        return {"unit_id": unit_id, "kind": kind, "item_id": item_id, "code": code}
    return mes.inventory.in_transaction(work, database)  # noqa: F821


def assign_gtin(actor, gtin, item_id, database=""):
    """Say that GTIN `gtin` (14 digits, check digit verified) labels item `item_id` (engineer role)."""
    mes.security.require_role(actor, mes.bom.ROLE_PLANNER)  # noqa: F821
    gtin = mes.barcode.validate_gtin(mes.compat.text(gtin))  # noqa: F821

    def work(tx):
        mes.inventory.item_tracking(item_id, tx, database)  # noqa: F821
        row = mes.inventory.one("SELECT item_id FROM item_gtins WHERE gtin = ?", [gtin], tx, database)  # noqa: F821
        if row is not None and row["item_id"] != item_id:
            raise mes.errors.StateConflict(mes.inventory.fmt("GTIN %r already labels item %r; expected it free for %r.",   # noqa: F821
                gtin, row["item_id"], item_id), expected=item_id, got=row["item_id"])
        if row is None:
            mes.inventory.update("INSERT INTO item_gtins (gtin, item_id) VALUES (?, ?)", [gtin, item_id], tx, database)  # noqa: F821
            mes.audit.record(actor, "material.assign_gtin", item_id, {"gtin": gtin}, None, tx)  # noqa: F821
        return {"gtin": gtin, "item_id": item_id}
    return mes.inventory.in_transaction(work, database)  # noqa: F821


def close_output(wo_id, code, actor, database=""):
    """Stop linking consumption into the output `code` of the work order."""
    mes.security.require_role(actor, ROLE_OPERATOR)  # noqa: F821

    def work(tx):
        unit = output_unit(wo_id, code, tx, database)
        mes.inventory.update("UPDATE wo_outputs SET is_open = ? WHERE wo_id = ? AND unit_id = ?",  # noqa: F821
                             [False, wo_id, unit["id"]], tx, database)
        mes.audit.record(actor, "material.close_output", wo_id, {"code": code}, None, tx)  # noqa: F821
    mes.inventory.in_transaction(work, database)  # noqa: F821


def report_production(wo_id, qty, actor, output=None, database=""):
    """Add `qty` made to the work order's output lot; return the lot dict."""
    mes.security.require_role(actor, ROLE_OPERATOR)  # noqa: F821
    if qty is None or not qty > 0:
        raise mes.lot.InvalidQuantity(mes.inventory.fmt("Produced quantity %r must be greater than 0.", qty), expected="> 0", got=qty)  # noqa: F821

    def work(tx):
        unit = output_unit(wo_id, output, tx, database)
        if unit["kind"] != "lot":
            raise mes.errors.InvalidInput(mes.inventory.fmt("Output %r is a serial; expected an output lot.", unit["code"]),  # noqa: F821
                                          expected="lot", got="serial")
        lot = mes.lot.get(unit["code"], unit["item_id"], tx, database)  # noqa: F821
        at = mes.inventory.now()  # noqa: F821
        mes.inventory.update("UPDATE lots SET qty = ?, updated_at = ? WHERE unit_id = ?",  # noqa: F821
                             [lot["qty"] + qty, at, lot["unit_id"]], tx, database)
        mes.inventory.journal(tx, lot["unit_id"], "production", qty, lot["qty"] + qty, lot["status"], actor, at,  # noqa: F821
                              wo_id=wo_id, database=database)
        mes.audit.record(actor, "material.production", wo_id, {"lot": lot["lot_no"], "qty": qty}, None, tx)  # noqa: F821
        return mes.lot.get(unit["code"], unit["item_id"], tx, database)  # noqa: F821
    return mes.inventory.in_transaction(work, database)  # noqa: F821


def consume(wo_id, barcode, station, actor, qty=None, op_seq=None, output=None, measurements=None, database=""):
    """Verify one scan against the work order's BOM and consume it; return what was consumed.

    Result: {"kind", "code", "item_id", "qty", "uom", "line_no", "remaining_on_unit",
    "output", "edge_id"}. Raises a MesError naming expected vs got; then nothing is written.
    """
    mes.security.require_role(actor, ROLE_OPERATOR)  # noqa: F821
    scan = mes.barcode.parse(barcode, mes.inventory.today_date())  # noqa: F821
    today = mes.inventory.today_iso()  # noqa: F821

    def work(tx):
        lines = mes.bom.lines(wo_id, op_seq, tx, database)  # noqa: F821
        kind, unit = resolve_scan(scan, lines, wo_id, tx, database)
        what = mes.inventory.fmt("Lot %r" if kind == "lot" else "Serial %r", unit["lot_no"] if kind == "lot" else unit["serial_no"])  # noqa: F821
        check_item(lines, unit["item_id"], what, wo_id)
        line = pick_line(lines, unit["item_id"], station)
        target = output_unit(wo_id, output, tx, database)
        mes.genealogy.check_no_cycle(tx, [unit["unit_id"]], target["id"], database)  # noqa: F821
        at = mes.inventory.now()  # noqa: F821
        if kind == "lot":
            mes.lot.check_usable(unit, today)  # noqa: F821
            check_uom(line, unit)
            amount = consume_qty(line, unit["qty"], qty, scan["count"])
            mes.lot.check_quantity(unit, amount)  # noqa: F821
            left = unit["qty"] - amount
            if left < _EPSILON:
                left = 0.0
            status = "consumed" if left == 0.0 else unit["status"]
            changed = mes.inventory.update(  # noqa: F821
                "UPDATE lots SET qty = ?, status = ?, updated_at = ? WHERE unit_id = ? AND qty = ? AND status = ?",
                [left, status, at, unit["unit_id"], unit["qty"], unit["status"]], tx, database)
            code, uom, edge_kind = unit["lot_no"], unit["uom"], "consume"
        else:
            error = mes.serial.usability_error(unit)  # noqa: F821
            if error is not None:
                raise error
            if qty is not None and qty != 1:
                raise mes.lot.InvalidQuantity(mes.inventory.fmt("Serial %r is consumed whole; expected quantity 1, got %r.",   # noqa: F821
                    unit["serial_no"], qty), expected=1, got=qty)
            amount, left, status = 1.0, 0.0, "consumed"
            changed = mes.inventory.update(  # noqa: F821
                "UPDATE serials SET status = ?, updated_at = ? WHERE unit_id = ? AND status = ?",
                [status, at, unit["unit_id"], unit["status"]], tx, database)
            code, uom, edge_kind = unit["serial_no"], line["uom"], "assemble"
        if changed != 1:
            raise mes.errors.StateConflict("%s changed while it was being consumed; scan again." % (what,),  # noqa: F821
                                           expected="unchanged", got="changed")
        mes.inventory.journal(tx, unit["unit_id"], "consumption", -amount, left, status, actor, at, wo_id=wo_id,  # noqa: F821
                              op_seq=line["op_seq"], bom_line_id=line["id"], station=station,
                              related_unit_id=target["id"], database=database)
        edge_id = mes.genealogy.add_edge(tx, unit["unit_id"], target["id"], edge_kind, at, qty=amount, uom=uom,  # noqa: F821
                                         wo_id=wo_id, op_seq=line["op_seq"], station=station, operator=actor,
                                         measurement_refs=measurements, database=database)
        mes.audit.record(actor, "material.consume", wo_id, {"kind": kind, "code": code, "item_id": unit["item_id"],  # noqa: F821
                         "qty": amount, "station": station, "output": target["code"]}, None, tx)
        return {"kind": kind, "code": mes.compat.text(code), "item_id": mes.compat.text(unit["item_id"]),  # noqa: F821
                "qty": float(amount), "uom": mes.compat.text(uom), "line_no": line["line_no"],  # noqa: F821
                "remaining_on_unit": float(left), "output": mes.compat.text(target["code"]), "edge_id": edge_id}  # noqa: F821
    return mes.inventory.in_transaction(work, database)  # noqa: F821
