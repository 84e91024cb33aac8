"""The transactional outbox: messages to the ERP, enqueued with the change that caused them.

`enqueue(kind, key, payload, tx)` writes a row in the caller's transaction, so the message exists
exactly when the change is committed. `dispatch()` (timer event) sends due messages with
`system.net.httpClient`:
- order: per key (the work order) strictly in enqueue order; a key waits while its oldest unsent
  message waits, so the ERP sees each order's events in causal order. Keys do not block each other.
- idempotency: every message has a fixed `message_id`, sent as `Idempotency-Key` (and
  `X-NetSuite-Idempotency-Key` for the REST face). Re-sending after a lost answer is harmless
  for an ERP that deduplicates; an answer of 409, or NetSuite's IDEMPOTENCY_ERROR, counts as
  delivered.
- retries: connection errors, timeouts, 408, 429 and 5xx retry after an exponential backoff on the
  gateway clock: base * 2**(attempts-1), capped (settings `outbox.backoff_ms`,
  `outbox.max_backoff_ms`). No jitter: one gateway sends, so there is no herd to spread.
- other 4xx: the message is `dead` (kept, with the answer) and its key stops until `retry(...)`;
  later messages of that order must not overtake it.
Endpoints come from settings: `outbox.url.<face>` where face is the part of `kind` before the dot
(`b2mml`, `rest`); a message's `path` is appended. Without an endpoint the face's messages wait.
"""
from __future__ import absolute_import, division, print_function

import json

__all__ = ["backoff_ms", "classify", "dispatch", "enqueue", "messages", "new_message_id", "retry", "status_counts"]

_RETRY_CODES = (408, 425, 429)


def _now_ms():
    return system.date.toMillis(system.date.now())


def new_message_id(tx):
    """A fresh message id (the idempotency key), for payloads that must carry their own id."""
    return "genba-%s-%d" % (mes.erpinbound.setting("outbox.site", "site", tx), mes.erpinbound.next_id("message", tx))


def enqueue(kind, key, payload, tx, content_type=None, path=None, message_id=None):
    """Write a message in `tx` (required: the transaction of the causing change); return its message id."""
    if tx is None:
        raise mes.errors.InvalidInput("The outbox message %r for %r needs the transaction of its cause." % (kind, key))
    if not isinstance(payload, mes.compat.string_types):
        payload = json.dumps(payload, sort_keys=True)
        content_type = content_type or "application/json"
    content_type = content_type or "application/xml"
    message_id = message_id or new_message_id(tx)
    now = _now_ms()
    system.db.runPrepUpdate(
        "INSERT INTO erp_outbox_messages (kind, msg_key, message_id, content_type, path, payload, status, attempts, "
        "next_attempt_ms, created_ms) VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?)",
        [kind, key, message_id, content_type, path, payload, now, now], "", tx)
    return message_id


def _settings(database):
    get = mes.erpinbound.setting
    return {"timeout_ms": int(get("outbox.timeout_ms", 10000, database=database)),
            "backoff_ms": int(get("outbox.backoff_ms", 5000, database=database)),
            "max_backoff_ms": int(get("outbox.max_backoff_ms", 600000, database=database)),
            "batch": int(get("outbox.batch", 100, database=database))}


def backoff_ms(attempts, base_ms, max_ms):
    """Delay before the next try after `attempts` failed tries: base * 2**(attempts-1), capped."""
    delay = base_ms
    for _ in range(max(0, attempts - 1)):
        delay *= 2
        if delay >= max_ms:
            return max_ms
    return min(delay, max_ms)


def classify(status, body_text):
    """'sent', 'retry' or 'dead' for an HTTP answer."""
    if 200 <= status < 300 or status == 409:
        return "sent"
    if status == 400 and "IDEMPOTENCY_ERROR" in (body_text or ""):
        return "sent"
    if status >= 500 or status in _RETRY_CODES:
        return "retry"
    return "dead"


def dispatch(database=""):
    """Send what is due now; returns counts {"sent", "retry", "dead", "waiting"}.

    An empty outbox costs one query (the timer ticks every few seconds); settings are read only
    when there is something to send.
    """
    now = _now_ms()
    rows = system.db.runPrepQuery(
        "SELECT id, kind, msg_key, message_id, content_type, path, payload, status, attempts, next_attempt_ms "
        "FROM erp_outbox_messages WHERE status <> 'sent' ORDER BY id", [], database)
    counts = {"sent": 0, "retry": 0, "dead": 0, "waiting": 0}
    if not len(rows):
        return counts
    conf = _settings(database)
    blocked = set()
    client = None
    bases = {}
    done = 0
    for row in rows:
        key = row["msg_key"]
        if key in blocked:
            counts["waiting"] += 1
            continue
        if row["status"] == "dead" or row["next_attempt_ms"] > now or done >= conf["batch"]:
            blocked.add(key)
            counts["waiting"] += 1
            continue
        face = row["kind"].split(".")[0]
        if face not in bases:
            bases[face] = mes.erpinbound.setting("outbox.url." + face, database=database)
        base = bases[face]
        if not base:  # no endpoint for this face (yet): the message waits, nothing is lost
            blocked.add(key)
            counts["waiting"] += 1
            continue
        done += 1
        if client is None:
            client = system.net.httpClient(timeout=conf["timeout_ms"])
        outcome = _send(client, row, base, conf, database)
        counts[outcome] += 1
        if outcome != "sent":
            blocked.add(key)
    return counts


def _send(client, row, base, conf, database):
    face = row["kind"].split(".")[0]
    headers = {"Content-Type": row["content_type"], "Idempotency-Key": row["message_id"],
               "X-Genba-Message-Id": row["message_id"], "X-Genba-Key": row["msg_key"]}
    if face == "rest":
        headers["X-NetSuite-Idempotency-Key"] = row["message_id"]
    status, error = None, None
    try:
        response = client.post(base.rstrip("/") + (row["path"] or ""), data=row["payload"], headers=headers)
        status = response.statusCode
        outcome = classify(status, response.text)
        if outcome != "sent":
            error = response.text[:1000]
    except mes.errors.MesError:
        raise
    except Exception as exc:  # the transport failed (refused, timeout, reset): retry later
        outcome, error = "retry", mes.compat.text(exc)[:1000]
    now = _now_ms()
    attempts = int(row["attempts"]) + 1
    if outcome == "sent":
        system.db.runPrepUpdate("UPDATE erp_outbox_messages SET status = 'sent', attempts = ?, sent_ms = ?, last_status = ?, "
                                "last_error = NULL WHERE id = ?", [attempts, now, status, row["id"]], database)
    else:
        next_ms = now + backoff_ms(attempts, conf["backoff_ms"], conf["max_backoff_ms"])
        system.db.runPrepUpdate("UPDATE erp_outbox_messages SET status = ?, attempts = ?, next_attempt_ms = ?, last_status = ?, "
                                "last_error = ? WHERE id = ?",
                                ["dead" if outcome == "dead" else "pending", attempts, next_ms, status, error, row["id"]],
                                database)
    return outcome


def retry(message_id, database=""):
    """Put a dead message back in the queue (after the cause was fixed); returns True if it was dead."""
    return system.db.runPrepUpdate("UPDATE erp_outbox_messages SET status = 'pending', next_attempt_ms = ? "
                                   "WHERE message_id = ? AND status = 'dead'", [_now_ms(), message_id], database) > 0


def status_counts(database=""):
    """{"pending": n, "sent": n, "dead": n} over the whole outbox."""
    counts = {"pending": 0, "sent": 0, "dead": 0}
    for row in system.db.runPrepQuery("SELECT status, COUNT(*) FROM erp_outbox_messages GROUP BY status", [], database):
        counts[row[0]] = int(row[1])
    return counts


def messages(key=None, database=""):
    """Outbox rows (dicts, in id order), optionally of one key."""
    if key is None:
        rows = system.db.runPrepQuery(
            "SELECT id, kind, msg_key, message_id, status, attempts, last_status, last_error, created_ms, sent_ms "
            "FROM erp_outbox_messages ORDER BY id", [], database)
    else:
        rows = system.db.runPrepQuery(
            "SELECT id, kind, msg_key, message_id, status, attempts, last_status, last_error, created_ms, sent_ms "
            "FROM erp_outbox_messages WHERE msg_key = ? ORDER BY id", [key], database)
    names = ["id", "kind", "key", "message_id", "status", "attempts", "last_status", "last_error", "created_ms", "sent_ms"]
    return [dict(zip(names, [row[i] for i in range(len(names))])) for row in rows]
