"""ERP documents in: receive, deduplicate, apply in one transaction, or reject with a stored reason.

Entry points (all return a result dict and never raise for bad input):
- `receive(data, source, message_id=None)`: one B2MML document (bytes or text).
- `receive_record(record, document_hash, source)`: an already mapped record (the REST face).
- `handle_message(payload)`: gateway message handler payload {"document": text, "messageId": id}.
- `handle_http(body, headers)`: (status code, result) for an HTTP endpoint (WebDev doPost).
- `poll_drop_folder(folder=None)`: the file drop (timer event); files move to processed/ or rejected/.

Idempotency: an accepted document's SHA-256 and message id (BODID) are kept; sending the same
document again is a no-op ("duplicate"). One document = one DB transaction: on any rejection
nothing of it stays, and the reason goes to `erp_inbound_errors`. A work order that comes again
with the same revision must have the same content; a new revision (engineering change) replaces
the order while nothing has started on it (on the floor too, mes.workorder.revise) and rejects
the document once something has (`work_order_started`); an older revision than the one held
rejects it too (`stale_revision`). Revisions compare naturally (`revision_key`).
"""
from __future__ import absolute_import, division, print_function

import hashlib
import json
import os

__all__ = ["DuplicateWorkOrder", "StaleRevision", "handle_http", "handle_message", "poll_drop_folder",
           "receive", "receive_record", "revision_key", "setting"]


class DuplicateWorkOrder(mes.errors.StateConflict):
    """A work order id came again with the same revision but different content."""
    code = "duplicate_work_order"


class StaleRevision(mes.errors.StateConflict):
    """A work order came with an older revision than the one already received."""
    code = "stale_revision"


class ReusedMessageId(mes.errors.StateConflict):
    """A message id (BODID) came again with different content."""
    code = "reused_message_id"


def revision_key(revision):
    """Sort key of a revision: digit runs compare as numbers, letter runs by length then text
    (so 2 < 10 and Z < AA); case is ignored."""
    text = mes.compat.text(revision).strip().upper()
    key, run = [], ""
    for ch in text + " ":
        if run and (ch.isdigit() != run[-1].isdigit() or ch == " "):
            key.append((0, int(run), "") if run.isdigit() else (1, len(run), run))
            run = ""
        if ch != " ":
            run += ch
    return tuple(key)


def _now_ms():
    return system.date.toMillis(system.date.now())


def _hash(data):
    raw = data if isinstance(data, bytes) else mes.compat.text(data).encode("utf-8")
    return hashlib.sha256(raw).hexdigest()


def content_hash(wo):
    """A stable hash of a work-order record (what 'same content' means)."""
    return hashlib.sha256(json.dumps(wo, sort_keys=True).encode("utf-8")).hexdigest()


def setting(name, default=None, tx=None, database=""):
    """A value of the erp_settings table (text), or `default`."""
    value = system.db.runScalarPrepQuery("SELECT value FROM erp_settings WHERE name = ?", [name], database, tx)
    return default if value is None else value


def next_id(name, tx):
    """The next number of a named sequence, taken inside `tx` (portable: no serial columns)."""
    system.db.runPrepUpdate("UPDATE erp_sequences SET value = value + 1 WHERE name = ?", [name], "", tx)
    return int(system.db.runScalarPrepQuery("SELECT value FROM erp_sequences WHERE name = ?", [name], "", tx))


def receive(data, source="api", message_id=None, database=""):
    """Read, check and apply one B2MML document; see the module docstring."""
    doc_hash = _hash(data)
    if _accepted(doc_hash, database):
        return {"status": "duplicate", "document_hash": doc_hash}
    try:
        max_bytes = int(setting("inbound.max_bytes", mes.erpxml.DEFAULT_MAX_BYTES, database=database))
        record = mes.erpschedule.read(data, max_bytes)
    except mes.errors.MesError as err:
        return _reject(doc_hash, message_id, source, err, data, database)
    return receive_record(record, doc_hash, source, message_id or record.get("message_id"), database, data)


def receive_record(record, document_hash, source, message_id=None, database="", data=None):
    """Apply a mapped record in one transaction; idempotent on `document_hash` and `message_id`."""
    if _accepted(document_hash, database):
        return {"status": "duplicate", "document_hash": document_hash}
    tx = system.db.beginTransaction(database)
    try:
        try:
            if message_id is not None:
                other = system.db.runScalarPrepQuery(
                    "SELECT document_hash FROM erp_inbound_documents WHERE message_id = ?", [message_id], "", tx)
                if other is not None:
                    raise ReusedMessageId("The message id %r was already received with other content." % message_id)
            units = set(r[0] for r in system.db.runPrepQuery("SELECT code FROM erp_units", [], "", tx))
            items = dict((r[0], r[1]) for r in system.db.runPrepQuery("SELECT item_id, uom FROM erp_items", [], "", tx))
            mes.erpschedule.check_references(record, items, units)
            now = _now_ms()
            result = {"status": "accepted", "document_hash": document_hash, "kind": record["kind"],
                      "work_orders": [], "unchanged": [], "revised": [],
                      "items": [i["item_id"] for i in record["items"]], "lots": [l["lot_id"] for l in record["lots"]]}
            for item in record["items"]:
                _upsert_item(item, now, tx)
            if record["items"] and mes.erpfloor.enabled(tx):
                mes.erpfloor.define_items(record["items"], tx)
            new_lots = [lot for lot in record["lots"] if _insert_lot(lot, now, tx)]
            if new_lots and mes.erpfloor.enabled(tx):
                mes.erpfloor.receive_lots(new_lots, tx)
            for wo in record["work_orders"]:
                _apply_work_order(wo, document_hash, now, tx, result)
            summary = dict((k, result[k]) for k in ("work_orders", "revised", "unchanged", "items", "lots"))
            system.db.runPrepUpdate(
                "INSERT INTO erp_inbound_documents (document_hash, message_id, source, kind, version, received_ms, summary) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [document_hash, message_id, source, record["kind"], record["version"], now, json.dumps(summary, sort_keys=True)],
                "", tx)
            system.db.commitTransaction(tx)
            return result
        except mes.errors.MesError as err:
            system.db.rollbackTransaction(tx)
            failure = err
    finally:
        system.db.closeTransaction(tx)
    return _reject(document_hash, message_id, source, failure, data, database)


def _accepted(document_hash, database):
    return system.db.runScalarPrepQuery("SELECT COUNT(*) FROM erp_inbound_documents WHERE document_hash = ?",
                                        [document_hash], database) > 0


def _reject(document_hash, message_id, source, err, data, database):
    reason = mes.erpxml.plain(err.message)
    excerpt = None
    if data is not None:
        excerpt = (data if not isinstance(data, bytes) else data[:2000].decode("utf-8", "replace"))[:2000]
    tx = system.db.beginTransaction(database)
    try:
        error_id = system.db.runPrepUpdate(
            "INSERT INTO erp_inbound_errors (document_hash, message_id, source, received_ms, code, reason, excerpt) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [document_hash, message_id, source, _now_ms(), err.code, reason, excerpt], "", tx, True)
        system.db.commitTransaction(tx)
    finally:
        system.db.closeTransaction(tx)
    system.util.getLogger("mes.erpinbound").warn("Rejected ERP document from %s: %s" % (source, reason))
    return {"status": "rejected", "document_hash": document_hash, "error_id": error_id,
            "code": err.code, "reason": reason}


def _upsert_item(item, now, tx):
    args = [item["revision"], item["description"], item["uom"], item["tracking"], item["consumption"], now, item["item_id"]]
    if not system.db.runPrepUpdate("UPDATE erp_items SET revision = ?, description = ?, uom = ?, tracking = ?, "
                                   "consumption = ?, updated_ms = ? WHERE item_id = ?", args, "", tx):
        system.db.runPrepUpdate("INSERT INTO erp_items (revision, description, uom, tracking, consumption, updated_ms, item_id) "
                                "VALUES (?, ?, ?, ?, ?, ?, ?)", args, "", tx)


def _insert_lot(lot, now, tx):
    rows = system.db.runPrepQuery("SELECT item_id, quantity, uom, status FROM erp_lots WHERE lot_id = ?", [lot["lot_id"]], "", tx)
    if len(rows):
        row = rows[0]
        if (row[0], float(row[1]), row[2], row[3]) != (lot["item_id"], float(lot["quantity"]), lot["uom"], lot["status"]):
            raise mes.errors.StateConflict("The lot %r already exists with other content." % lot["lot_id"])
        return False
    system.db.runPrepUpdate("INSERT INTO erp_lots (lot_id, item_id, quantity, uom, status, received_ms) VALUES (?, ?, ?, ?, ?, ?)",
                            [lot["lot_id"], lot["item_id"], lot["quantity"], lot["uom"], lot["status"], now], "", tx)
    return True


def work_order_started(wo_id, tx=None):
    """True once production started: reported to the ERP, or the floor order left 'released'
    (a hold of an order nothing started on does not count: the floor refuses that revision itself)."""
    status = system.db.runScalarPrepQuery("SELECT status FROM erp_work_orders WHERE wo_id = ?", [wo_id], "", tx)
    if status is not None and status != "released":
        return True
    floor = mes.erpfloor.on_floor(wo_id, tx)
    if floor is None or floor["status"] == "released":
        return False
    return floor["status"] != "held" or (floor["status_before_hold"] or "released") != "released"


def _apply_work_order(wo, document_hash, now, tx, result):
    digest = content_hash(wo)
    rows = system.db.runPrepQuery("SELECT revision, content_hash FROM erp_work_orders WHERE wo_id = ?", [wo["wo_id"]], "", tx)
    if len(rows):
        revision, old_digest = rows[0][0], rows[0][1]
        if revision == wo["revision"]:
            if old_digest != digest:
                raise DuplicateWorkOrder("Work order %r revision %r was already received with other content; "
                                         "send a new revision to change it." % (wo["wo_id"], revision))
            result["unchanged"].append(wo["wo_id"])
            return
        if revision_key(wo["revision"]) < revision_key(revision):
            raise StaleRevision("Work order %r revision %r is older than revision %r already received."
                                % (wo["wo_id"], wo["revision"], revision))
        if work_order_started(wo["wo_id"], tx):
            raise mes.workorder.WorkOrderStarted("Work order %r has started; its revision %r cannot be applied "
                                                 "(revision %r stays)." % (wo["wo_id"], wo["revision"], revision))
        system.db.runPrepUpdate("DELETE FROM erp_wo_operations WHERE wo_id = ?", [wo["wo_id"]], "", tx)
        system.db.runPrepUpdate("DELETE FROM erp_wo_materials WHERE wo_id = ?", [wo["wo_id"]], "", tx)
        system.db.runPrepUpdate("DELETE FROM erp_work_orders WHERE wo_id = ?", [wo["wo_id"]], "", tx)
        result["revised"].append(wo["wo_id"])
    system.db.runPrepUpdate(
        "INSERT INTO erp_work_orders (wo_id, revision, item_id, quantity, uom, priority, start_ms, end_ms, status, "
        "content_hash, document_hash, updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'released', ?, ?, ?)",
        [wo["wo_id"], wo["revision"], wo["item_id"], wo["quantity"], wo["uom"], wo["priority"], wo["start_ms"],
         wo["end_ms"], digest, document_hash, now], "", tx)
    for step_no, op in enumerate(wo["operations"]):
        system.db.runPrepUpdate(
            "INSERT INTO erp_wo_operations (wo_id, op_seq, step_no, segment_id, work_center, duration_s, start_ms, end_ms) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [wo["wo_id"], op["op_seq"], step_no, op["segment_id"], op["work_center"], op["duration_s"],
             op["start_ms"], op["end_ms"]], "", tx)
    for line, m in enumerate(wo["materials"]):
        system.db.runPrepUpdate(
            "INSERT INTO erp_wo_materials (wo_id, line, op_seq, item_id, quantity, uom, lot_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [wo["wo_id"], line + 1, m["op_seq"], m["item_id"], m["quantity"], m["uom"], m["lot_id"]], "", tx)
    if mes.erpfloor.enabled(tx):
        if mes.erpfloor.on_floor(wo["wo_id"], tx) is not None:
            mes.erpfloor.revise(wo, tx)
        else:
            mes.erpfloor.release(wo, tx)
    result["work_orders"].append(wo["wo_id"])


def handle_message(payload):
    """Gateway message handler body: payload {"document": text, "messageId": optional, "source": optional}."""
    payload = payload or {}
    document = payload.get("document")
    if document is None:
        return {"status": "rejected", "code": "missing_element", "reason": "The message payload has no 'document'."}
    return receive(document, payload.get("source") or "message", payload.get("messageId"))


def handle_http(body, headers=None):
    """(status code, result dict) for an HTTP POST of one document: 200 accepted/duplicate, 422/413 rejected."""
    headers = dict((k.lower(), v) for k, v in (headers or {}).items())
    message_id = headers.get("idempotency-key") or headers.get("x-message-id")
    content_type = headers.get("content-type") or ""
    if "json" in content_type:
        result = mes.erprest.receive_work_order(body, message_id)
    else:
        result = receive(body, "http", message_id)
    if result["status"] != "rejected":
        return 200, result
    return (413 if result["code"] == "document_too_large" else 422), result


def poll_drop_folder(folder=None, database=""):
    """Import every *.xml file of the drop folder in name order; move each to processed/ or rejected/."""
    folder = folder or setting("inbound.drop_folder", database=database)
    if not folder or not os.path.isdir(folder):
        return []
    max_bytes = int(setting("inbound.max_bytes", mes.erpxml.DEFAULT_MAX_BYTES, database=database))
    results = []
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name)
        if not name.lower().endswith(".xml") or not os.path.isfile(path):
            continue
        if os.path.getsize(path) > max_bytes:
            err = mes.erpxml.DocumentTooLarge("The file %r has %r bytes, more than the limit of %r."
                                            % (name, os.path.getsize(path), max_bytes))
            result = _reject("size:%s:%d" % (name, os.path.getsize(path)), None, "file:" + name, err, None, database)
        else:
            handle = open(path, "rb")
            try:
                data = handle.read()
            finally:
                handle.close()
            result = receive(data, "file:" + name, None, database)
        _move(folder, name, "rejected" if result["status"] == "rejected" else "processed", result)
        result["file"] = name
        results.append(result)
    return results


def _move(folder, name, target, result):
    target_dir = os.path.join(folder, target)
    if not os.path.isdir(target_dir):
        os.makedirs(target_dir)
    destination = os.path.join(target_dir, name)
    if os.path.exists(destination):
        os.remove(destination)
    os.rename(os.path.join(folder, name), destination)
    if target == "rejected":
        handle = open(destination + ".reason.txt", "w")
        try:
            handle.write("%s: %s\n" % (result["code"], result["reason"]))
        finally:
            handle.close()
