"""Production reported to the ERP: completions with consumption, labour and quality, and the
B2MML performance documents (V0600 ProductionPerformance, V07 OperationsPerformance) built from them.

`record_completion(...)` stores one completion of an operation and, in the same transaction,
enqueues the outbound messages (mes.outbox) for the faces configured in `outbound.faces`
("b2mml", "rest" or "b2mml,rest"; B2MML version from `outbound.b2mml_version`, V0600 or V0701).
Pass `tx` to make it part of a larger change (the operation's own completion).

Consumption per item, as configured on the item (`erp_items.consumption`):
- actual: the lots and quantities given with the completion (scanned at the station);
- backflush: the MES computes the standard quantity from the BOM of that operation,
  (good + scrap) x line quantity / order quantity, and reports it without a lot, marked as
  backflushed (B2MML property `ConsumptionMethod` = Backflush; REST `isBackflush` = true).
Documents carry, per operation: good/scrap/rework as SegmentData (ProductionData in V0600)
`GoodQuantity`/`ScrapQuantity`/`ReworkQuantity` plus the produced material (good, with the
produced lot), consumed material by lot, PersonnelActual hours per person, and quality results as
`Quality.<test>` data items (result, and value when measured).
"""
from __future__ import absolute_import, division, print_function

__all__ = ["backflush_lines", "record_completion"]


def _now_ms():
    return system.date.toMillis(system.date.now())


def _num(value, where):
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise mes.errors.InvalidInput("%s %r is not a number." % (where, value))
    if number < 0 or number != number:
        raise mes.errors.InvalidInput("%s %r must be 0 or more." % (where, value))
    return int(number) if number == int(number) else number


def backflush_lines(materials, order_quantity, op_seq, units_done, consumption):
    """Standard consumption of the backflushed BOM lines of `op_seq` for `units_done` units.

    `materials`: BOM lines (item_id, quantity, uom, op_seq) of the order; `consumption` maps
    item_id -> 'actual' | 'backflush'. Quantities are rounded to 6 decimals.
    """
    lines = []
    for m in materials:
        if m["op_seq"] == op_seq and consumption.get(m["item_id"]) == "backflush" and units_done > 0:
            qty = round(float(m["quantity"]) * units_done / float(order_quantity), 6)
            lines.append({"item_id": m["item_id"], "lot_id": None, "quantity": int(qty) if qty == int(qty) else qty,
                          "uom": m["uom"], "method": "backflush"})
    return lines


def record_completion(wo_id, op_seq, good, scrap=0, rework=0, consumed=None, labor=None, quality=None,
                      produced_lot=None, start_ms=None, end_ms=None, actor=None, tx=None, database=""):
    """Store a completion of operation `op_seq` of `wo_id` and enqueue its ERP messages; returns its id.

    consumed: [{"item_id", "lot_id", "quantity"}] actual consumption (items configured 'actual');
    labor: [{"person_id", "hours"}]; quality: [{"test_id", "result", "value"?, "uom"?}].
    """
    own = tx is None
    if own:
        tx = system.db.beginTransaction(database)
    try:
        completion_id = _record(wo_id, op_seq, good, scrap, rework, consumed or [], labor or [], quality or [],
                                produced_lot, start_ms, end_ms, actor, tx)
        if own:
            system.db.commitTransaction(tx)
        return completion_id
    except Exception:
        if own:
            system.db.rollbackTransaction(tx)
        raise
    finally:
        if own:
            system.db.closeTransaction(tx)


def _record(wo_id, op_seq, good, scrap, rework, consumed, labor, quality, produced_lot, start_ms, end_ms, actor, tx):
    wo, ops, materials = _order(wo_id, tx)
    if op_seq not in [o["op_seq"] for o in ops]:
        raise mes.errors.NotFound("Work order %r has no operation %r." % (wo_id, op_seq))
    good = _num(good, "The good quantity")
    scrap = _num(scrap, "The scrap quantity")
    rework = _num(rework, "The rework quantity")
    if good + scrap + rework <= 0 and not (consumed or labor):
        raise mes.errors.InvalidInput("A completion of %r operation %r reports no quantity, material or labour."
                                      % (wo_id, op_seq))
    items = dict((r[0], {"uom": r[1], "consumption": r[2]}) for r in
                 system.db.runPrepQuery("SELECT item_id, uom, consumption FROM erp_items", [], "", tx))
    lines = []
    for c in consumed:
        item = items.get(c.get("item_id"))
        if item is None:
            raise mes.errors.NotFound("The consumed item %r is not known." % c.get("item_id"))
        if item["consumption"] == "backflush":
            raise mes.errors.StateConflict("The item %r is backflushed; do not report its consumption." % c["item_id"])
        lines.append({"item_id": c["item_id"], "lot_id": c.get("lot_id"), "method": "actual", "uom": item["uom"],
                      "quantity": _num(c.get("quantity"), "The consumed quantity of %r" % c["item_id"])})
    consumption = dict((k, v["consumption"]) for k, v in items.items())
    lines += backflush_lines(materials, wo["quantity"], op_seq, good + scrap, consumption)
    now = _now_ms()
    start_ms = now if start_ms is None else start_ms
    end_ms = now if end_ms is None else end_ms
    if end_ms < start_ms:
        raise mes.errors.InvalidInput("The completion ends (%r) before it starts (%r)." % (end_ms, start_ms))
    completion_id = system.db.runPrepUpdate(
        "INSERT INTO erp_completions (wo_id, op_seq, good, scrap, rework, produced_lot, start_ms, end_ms, actor, recorded_ms) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [wo_id, op_seq, good, scrap, rework, produced_lot, start_ms, end_ms, actor, now], "", tx, True)
    for i, m in enumerate(lines):
        system.db.runPrepUpdate("INSERT INTO erp_completion_materials (completion_id, line, item_id, lot_id, quantity, uom, method) "
                                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                                [completion_id, i + 1, m["item_id"], m["lot_id"], m["quantity"], m["uom"], m["method"]], "", tx)
    labor_lines = [{"person_id": l["person_id"], "hours": _num(l["hours"], "The labour hours")} for l in labor]
    for i, l in enumerate(labor_lines):
        system.db.runPrepUpdate("INSERT INTO erp_completion_labor (completion_id, line, person_id, hours) VALUES (?, ?, ?, ?)",
                                [completion_id, i + 1, l["person_id"], l["hours"]], "", tx)
    quality_lines = [{"test_id": q["test_id"], "result": q["result"], "value": q.get("value"), "uom": q.get("uom")} for q in quality]
    for i, q in enumerate(quality_lines):
        system.db.runPrepUpdate("INSERT INTO erp_completion_results (completion_id, line, test_id, result, value, uom) "
                                "VALUES (?, ?, ?, ?, ?, ?)", [completion_id, i + 1, q["test_id"], q["result"], q["value"], q["uom"]], "", tx)
    system.db.runPrepUpdate("UPDATE erp_work_orders SET status = 'started' WHERE wo_id = ? AND status = 'released'", [wo_id], "", tx)
    done = {"completion_id": completion_id, "good": good, "scrap": scrap, "rework": rework, "produced_lot": produced_lot,
            "start_ms": start_ms, "end_ms": end_ms, "materials": lines, "labor": labor_lines, "quality": quality_lines}
    op = [o for o in ops if o["op_seq"] == op_seq][0]
    op = dict(op, last=(op_seq == ops[-1]["op_seq"]))
    _enqueue(wo, op, done, tx)
    return completion_id


def _order(wo_id, tx):
    rows = system.db.runPrepQuery("SELECT wo_id, revision, item_id, quantity, uom FROM erp_work_orders WHERE wo_id = ?", [wo_id], "", tx)
    if not len(rows):
        raise mes.errors.NotFound("The work order %r is not known." % wo_id)
    r = rows[0]
    wo = {"wo_id": r[0], "revision": r[1], "item_id": r[2], "quantity": float(r[3]), "uom": r[4]}
    ops = [{"op_seq": o[0], "segment_id": o[1], "work_center": o[2]} for o in system.db.runPrepQuery(
        "SELECT op_seq, segment_id, work_center FROM erp_wo_operations WHERE wo_id = ? ORDER BY step_no", [wo_id], "", tx)]
    materials = [{"op_seq": m[0], "item_id": m[1], "quantity": m[2], "uom": m[3]} for m in system.db.runPrepQuery(
        "SELECT op_seq, item_id, quantity, uom FROM erp_wo_materials WHERE wo_id = ? ORDER BY line", [wo_id], "", tx)]
    return wo, ops, materials


def _enqueue(wo, op, done, tx):
    faces = [f.strip() for f in (mes.erpinbound.setting("outbound.faces", "b2mml", tx) or "").split(",") if f.strip()]
    version = mes.erpinbound.setting("outbound.b2mml_version", "V0600", tx)
    sender = mes.erpinbound.setting("outbox.site", "site", tx)
    if "b2mml" in faces:
        message_id = mes.outbox.new_message_id(tx)
        xml = mes.erpb2mml.build_performance(version, message_id, sender, _now_ms(), wo, op, done)
        mes.outbox.enqueue("b2mml." + ("ProductionPerformance" if version == "V0600" else "OperationsPerformance"),
                           wo["wo_id"], xml, tx, "application/xml", message_id=message_id)
    if "rest" in faces:
        message_id = mes.outbox.new_message_id(tx)
        body = mes.erprest.completion(message_id, wo, op, done)
        mes.outbox.enqueue("rest.workOrderCompletion", wo["wo_id"], body, tx, "application/json",
                           mes.erprest.completion_path(wo["wo_id"]), message_id=message_id)
