"""ERP work orders on the shop floor, through the dispatch and material areas' own functions.

With the setting `inbound.release` = `dispatch` (the default), an accepted document also, in its
transaction:
- defines its material definitions as items (`mes.item.define`: uom, tracking, revision) and books
  its material lots in (`mes.lot.receive`, status as sent; a released lot needs the quality role);
- defines the routing of each order's item revision from the order's segments
  (`mes.routing.define`: op sequence must be an integer, the work centre must exist, run minutes
  per unit = segment duration / order quantity), releases the order (`mes.workorder.release`:
  due date = the order's end, else its start; priority 500 when the ERP gives none) and stores its
  BOM lines (`mes.bom.set_lines`: quantity per unit = line quantity / order quantity, consumption
  mode from the material definition, at the segment's op sequence);
- applies a new revision of an order nothing has started on (`mes.workorder.revise`, BOM lines
  replaced).
The ERP acts as the user in `inbound.actor` (default `erp`), who needs the engineer and lead roles
(and quality for lots sent as released). Anything the floor refuses rejects the whole document with
the floor's reason. With `record` the orders stay in the ERP tables only.

`performance(...)` is the completion hook of mes.operation: a report or completion of an operation
of an order the ERP sent records the ERP completion (mes.erpperformance.record_completion) in the
operation's transaction, with the lots scanned on that operation and the labour booked on it since
the last report, so the outbox message exists exactly when the quantities are committed.
`complete_operation(...)` is mes.operation.complete with the extra ERP details (consumption given
by hand, quality results, produced lot).
"""
from __future__ import absolute_import, division, print_function

__all__ = ["DEFAULT_RELEASE", "bom_lines", "complete_operation", "define_items", "enabled", "on_floor",
           "performance", "receive_lots", "release", "revise"]

#: What `inbound.release` is when the setting is absent.
DEFAULT_RELEASE = "dispatch"


def enabled(tx=None):
    """True when accepted work orders are released to the floor (setting inbound.release)."""
    return mes.erpinbound.setting("inbound.release", DEFAULT_RELEASE, tx) == "dispatch"


def _actor(tx):
    return mes.erpinbound.setting("inbound.actor", "erp", tx)


def define_items(items, tx):
    """mes.item.define for each material definition of a document."""
    actor = _actor(tx)
    for item in items:
        mes.item.define(actor, item["item_id"], item["revision"], item["description"], item["uom"],
                        item["tracking"], tx)


def receive_lots(lots, tx):
    """mes.lot.receive for each new material lot of a document (status as the ERP sent it)."""
    actor = _actor(tx)
    for lot in lots:
        mes.lot.receive(lot["item_id"], lot["lot_id"], float(lot["quantity"]), lot["uom"], actor, None,
                        lot["status"], None, "receipt", None, "", tx)


def _op_seq(wo_id, op_seq):
    try:
        value = int(op_seq)
    except ValueError:
        value = 0
    if value <= 0 or mes.compat.text(value) != mes.compat.text(op_seq).lstrip("0"):
        raise mes.erpschedule.BadValue("Work order %r operation %r: the floor needs a positive whole "
                                       "op sequence." % (wo_id, op_seq))
    return value


def on_floor(wo_id, tx=None):
    """The floor's work order dict, or None when it is not on the floor."""
    if not enabled(tx):
        return None
    found = system.db.runScalarPrepQuery("SELECT COUNT(*) FROM work_orders WHERE wo_id = ?", [wo_id], "", tx)
    return mes.workorder.get(wo_id, tx) if found else None


def _routing(wo, tx):
    """Define the routing of the order's item revision from its segments; return the revision."""
    actor = _actor(tx)
    revision = system.db.runScalarPrepQuery("SELECT revision FROM erp_items WHERE item_id = ?", [wo["item_id"]], "", tx)
    ops = []
    for op in wo["operations"]:
        if not op["work_center"]:
            raise mes.erpschedule.MissingElement("Work order %r operation %r has no work centre (EquipmentID)."
                                                 % (wo["wo_id"], op["op_seq"]))
        run = (op["duration_s"] or 0) / 60.0 / float(wo["quantity"])
        ops.append({"op_seq": _op_seq(wo["wo_id"], op["op_seq"]), "work_center_id": op["work_center"],
                    "description": op["segment_id"], "setup_minutes": 0, "run_minutes_per_unit": round(run, 6)})
    mes.routing.define(actor, wo["item_id"], revision, ops, tx)
    return revision


def _order_terms(wo):
    due_ms = wo["end_ms"] if wo["end_ms"] is not None else wo["start_ms"]
    if due_ms is None:
        due_ms = system.date.toMillis(system.date.now())
    due = mes.erpxml.format_time(due_ms)[:19].replace("T", " ")
    priority = 500 if wo["priority"] is None else wo["priority"]
    return due, priority


def bom_lines(wo, tx):
    """The order's materials as mes.bom lines (line_no 1.., qty_per = quantity / order quantity)."""
    consumption = dict((r[0], r[1]) for r in system.db.runPrepQuery(
        "SELECT item_id, consumption FROM erp_items", [], "", tx))
    lines = []
    for number, m in enumerate(wo["materials"]):
        quantity = float(m["quantity"])
        lines.append({"line_no": number + 1, "item_id": m["item_id"],
                      "qty_per": round(quantity / float(wo["quantity"]), 9), "qty_required": quantity,
                      "uom": m["uom"], "consumption_mode": consumption.get(m["item_id"]) or "actual",
                      "op_seq": _op_seq(wo["wo_id"], m["op_seq"]), "station": None})
    return lines


def release(wo, tx):
    """Define the routing of the order's item revision, release the order and store its BOM lines."""
    actor = _actor(tx)
    revision = _routing(wo, tx)
    due, priority = _order_terms(wo)
    order = mes.workorder.release(actor, wo["wo_id"], wo["item_id"], revision, float(wo["quantity"]), due,
                                  priority, tx)
    lines = bom_lines(wo, tx)
    if lines:
        mes.bom.set_lines(wo["wo_id"], lines, actor, "", tx)
    return order


def revise(wo, tx):
    """Apply a new revision of an order already on the floor (refused once anything started there)."""
    actor = _actor(tx)
    revision = _routing(wo, tx)
    due, priority = _order_terms(wo)
    order = mes.workorder.revise(actor, wo["wo_id"], wo["item_id"], revision, float(wo["quantity"]), due,
                                 priority, "ERP revision %s" % wo["revision"], tx)
    mes.bom.set_lines(wo["wo_id"], bom_lines(wo, tx), actor, "", tx, True)
    return order


def _new_labor(wo_id, op_seq, tx):
    booked = {}
    for row in mes.labor.hours(wo_id, tx):
        if row["kind"] == "direct" and row["op_seq"] == int(op_seq):
            booked[row["username"]] = booked.get(row["username"], 0.0) + row["hours"]
    reported = dict((r[0], float(r[1])) for r in system.db.runPrepQuery(
        "SELECT l.person_id, SUM(l.hours) FROM erp_completion_labor l JOIN erp_completions c ON c.id = l.completion_id "
        "WHERE c.wo_id = ? AND c.op_seq = ? GROUP BY l.person_id", [wo_id, mes.compat.text(op_seq)], "", tx))
    lines = []
    for person in sorted(booked):
        hours = round(booked[person] - reported.get(person, 0.0), 6)
        if hours > 0:
            lines.append({"person_id": person, "hours": hours})
    return lines


def _new_consumption(wo_id, op_seq, tx):
    """Lots consumed on the floor on this operation (items the ERP counts as actual) not yet reported."""
    actual = set(r[0] for r in system.db.runPrepQuery(
        "SELECT item_id FROM erp_items WHERE consumption = ?", ["actual"], "", tx))
    used = {}
    for r in system.db.runPrepQuery(
            "SELECT u.item_id, u.code, SUM(t.qty) FROM lot_transactions t JOIN mat_units u ON u.id = t.unit_id "
            "WHERE t.wo_id = ? AND t.op_seq = ? AND t.kind = ? GROUP BY u.item_id, u.code",
            [wo_id, int(op_seq), "consumption"], "", tx):
        if r[0] in actual:
            used[(mes.compat.text(r[0]), mes.compat.text(r[1]))] = -float(r[2])
    for r in system.db.runPrepQuery(
            "SELECT m.item_id, m.lot_id, SUM(m.quantity) FROM erp_completion_materials m "
            "JOIN erp_completions c ON c.id = m.completion_id WHERE c.wo_id = ? AND c.op_seq = ? AND m.method = ? "
            "GROUP BY m.item_id, m.lot_id", [wo_id, mes.compat.text(op_seq), "actual"], "", tx):
        key = (mes.compat.text(r[0]), None if r[1] is None else mes.compat.text(r[1]))
        if key in used:
            used[key] -= float(r[2])
    lines = []
    for item_id, lot_id in sorted(used):
        quantity = round(used[(item_id, lot_id)], 6)
        if quantity > 0:
            lines.append({"item_id": item_id, "lot_id": lot_id,
                          "quantity": int(quantity) if quantity == int(quantity) else quantity})
    return lines


def _erp_op_seq(wo_id, op_seq, tx):
    for r in system.db.runPrepQuery("SELECT op_seq FROM erp_wo_operations WHERE wo_id = ? ORDER BY step_no",
                                    [wo_id], "", tx):
        text = mes.compat.text(r[0])
        if text.isdigit() and int(text) == int(op_seq):
            return text
    return mes.compat.text(int(op_seq))


def _last_op(wo_id, erp_seq, tx):
    seqs = [mes.compat.text(r[0]) for r in system.db.runPrepQuery(
        "SELECT op_seq FROM erp_wo_operations WHERE wo_id = ? ORDER BY step_no", [wo_id], "", tx)]
    return bool(seqs) and seqs[-1] == erp_seq


def _open_output(wo_id, tx):
    """The code of the order's single open output lot or serial, else None."""
    try:
        return mes.compat.text(mes.material.output_unit(wo_id, None, tx)["code"])
    except mes.errors.MesError:
        return None


def performance(username, wo_id, op_seq, good, scrap, rework, tx, details=None):
    """Inside `tx`: record the ERP completion of quantities just reported or completed on the floor.

    Nothing for an order the ERP did not send, or when neither a quantity nor new consumption or
    labour was booked (a completion of 0 after earlier reports still reports the labour since). `details` may give
    `consumed` (reported instead of the scanned lots), `quality` and `produced_lot` (default on
    the order's last operation: its single open output lot or serial); the id of the ERP
    completion is put back into it as `completion_id`. Returns that id or None.
    """
    known = system.db.runScalarPrepQuery("SELECT COUNT(*) FROM erp_work_orders WHERE wo_id = ?", [wo_id], "", tx)
    if not known:
        return None
    details = details if details is not None else {}
    consumed = details.get("consumed")
    if consumed is None:
        consumed = _new_consumption(wo_id, op_seq, tx)
    labor = _new_labor(wo_id, op_seq, tx)
    if not (good or scrap or rework or consumed or labor):
        return None
    erp_seq = _erp_op_seq(wo_id, op_seq, tx)
    op = mes.operation.get(wo_id, int(op_seq), tx)
    now = system.date.toMillis(system.date.now())
    start = mes.erpxml.parse_time(op["started_at"]) if op.get("started_at") else now
    last = system.db.runScalarPrepQuery("SELECT MAX(end_ms) FROM erp_completions WHERE wo_id = ? AND op_seq = ?",
                                        [wo_id, erp_seq], "", tx)
    if last is not None and int(last) > start:
        start = int(last)
    end = mes.erpxml.parse_time(op["completed_at"]) if op.get("completed_at") else now
    produced_lot = details.get("produced_lot")
    if produced_lot is None and _last_op(wo_id, erp_seq, tx):
        produced_lot = _open_output(wo_id, tx)
    completion_id = mes.erpperformance.record_completion(
        wo_id, erp_seq, good, scrap, rework, consumed, labor,
        details.get("quality"), produced_lot, start, max(start, end), username, tx)
    details["completion_id"] = completion_id
    return completion_id


def complete_operation(username, station_id, wo_id, op_seq, good=0, scrap=0, rework=0, consumed=None,
                       quality=None, produced_lot=None, reason=None, tx=None):
    """mes.operation.complete with the ERP details of the completion (see `performance`).

    `consumed` replaces the scanned lots in the report (None: the lots scanned on the operation).
    Returns the ERP completion id, or None for an order the ERP did not send (nothing to report).
    """
    details = {"consumed": consumed, "quality": quality, "produced_lot": produced_lot}
    mes.operation.complete(username, station_id, wo_id, int(op_seq), good, scrap, rework, reason, tx, details)
    return details.get("completion_id")
