"""Invariants a plant's records must keep whatever happened to it: reusable checks run after
scenarios and after the chaos soak.

Each check reads the database through `query(sql) -> list of row tuples` (use `gateway_query(gw)`
for a harness gateway) and returns a `Result`: how many records it checked and every violation it
found, in words. `check_all` runs the lot.

- material: per lot, the signed journal sums to the lot's quantity (received + produced + merged
  in - consumed - split or merged out = remaining), each entry's qty_after continues the running
  total, and no lot is negative.
- production: per operation, good, scrap and rework are >= 0; per OEE count interval, the produced
  quantity is good + scrap + rework with good >= 0 (ISO 22400: PQ = GQ + SQ + RQ).
- oee_time: per machine, state intervals tile calendar time: each closes where the next opens (no
  gap, no overlap), only the last is open, and the buckets sum to last end - first start.
- genealogy: every edge joins two units that exist, and the edges form no cycle.
- outbox: message ids are unique; with the ERP's record of effective messages, every message the
  MES holds as sent was received once in effect, and the ERP holds nothing the MES never sent.
- audit: the hash chain verifies (`mes.audit.verify()`).
"""
from __future__ import annotations

import collections

__all__ = ["Result", "check_all", "gateway_query", "material", "production", "oee_time", "genealogy",
           "outbox", "audit"]

EPS = 1e-6


class Result:
    def __init__(self, name, checked=0, violations=None):
        self.name, self.checked, self.violations = name, checked, list(violations or [])

    @property
    def ok(self):
        return not self.violations

    def as_dict(self):
        return {"check": self.name, "checked": self.checked, "violations": self.violations}

    def __repr__(self):
        return "Result(%s, checked=%d, violations=%r)" % (self.name, self.checked, self.violations[:3])


def gateway_query(gw, database=""):
    """`query(sql)` over a harness gateway's system.db."""
    def query(sql):
        ds = gw.system.db.runPrepQuery(sql, [], database)
        width = len(ds.getColumnNames())
        return [tuple(row[c] for c in range(width)) for row in ds]
    return query


def material(query):
    result = Result("material conservation per lot")
    lots = dict((int(r[0]), (r[1], r[2], float(r[3]))) for r in query(
        "SELECT unit_id, item_id, lot_no, qty FROM lots"))
    journal = collections.defaultdict(list)
    for unit_id, qty, after, kind in query(
            "SELECT unit_id, qty, qty_after, kind FROM lot_transactions ORDER BY id"):
        journal[int(unit_id)].append((float(qty), float(after), kind))
    for unit_id in sorted(lots):
        item_id, lot_no, qty = lots[unit_id]
        result.checked += 1
        running = 0.0
        for delta, after, kind in journal.get(unit_id, []):
            running += delta
            if kind != "status" and abs(running - after) > EPS:
                result.violations.append("lot %s/%s: journal runs to %r but a %s entry says %r"
                                         % (item_id, lot_no, running, kind, after))
                running = after
        if abs(running - qty) > EPS:
            result.violations.append("lot %s/%s holds %r but its journal sums to %r" % (item_id, lot_no, qty, running))
        if qty < -EPS:
            result.violations.append("lot %s/%s is negative: %r" % (item_id, lot_no, qty))
    return result


def production(query):
    result = Result("produced = good + scrap + rework")
    for wo_id, op_seq, good, scrap, rework in query(
            "SELECT wo_id, op_seq, qty_good, qty_scrap, qty_rework FROM wo_operations"):
        result.checked += 1
        if min(good, scrap, rework) < 0:
            result.violations.append("operation %s/%s has a negative quantity (%r, %r, %r)"
                                     % (wo_id, op_seq, good, scrap, rework))
    for row_id, machine, pq, sq, rq in query(
            "SELECT id, machine_id, pq, sq, rq FROM oee_count_intervals"):
        result.checked += 1
        if min(pq, sq, rq) < 0 or pq - sq - rq < 0:
            result.violations.append("count interval %s of %s: produced %r < scrap %r + rework %r"
                                     % (row_id, machine, pq, sq, rq))
    return result


def oee_time(query, until_ms=None):
    """`until_ms` closes a still-open last interval (the calendar time up to now)."""
    result = Result("OEE time buckets tile calendar time")
    by_machine = collections.defaultdict(list)
    for row_id, machine, start, end, category in query(
            "SELECT id, machine_id, start_ms, end_ms, category FROM oee_state_intervals ORDER BY machine_id, start_ms, id"):
        by_machine[machine].append((int(start), None if end is None else int(end), category, row_id))
    for machine in sorted(by_machine):
        rows = by_machine[machine]
        total = 0
        for index, (start, end, category, row_id) in enumerate(rows):
            result.checked += 1
            last = index == len(rows) - 1
            if end is None:
                if not last:
                    result.violations.append("%s: interval %s is open but not the last" % (machine, row_id))
                    continue
                end = until_ms if until_ms is not None else start
            if end < start:
                result.violations.append("%s: interval %s ends before it starts" % (machine, row_id))
            total += end - start
            if not last and rows[index + 1][0] != end:
                gap = rows[index + 1][0] - end
                result.violations.append("%s: %s of %d ms after interval %s"
                                         % (machine, "gap" if gap > 0 else "overlap", abs(gap), row_id))
        first, final = rows[0][0], rows[-1][1] if rows[-1][1] is not None else (until_ms or rows[-1][0])
        if total != final - first:
            result.violations.append("%s: buckets sum to %d ms, calendar time is %d ms" % (machine, total, final - first))
    return result


def genealogy(query):
    result = Result("genealogy has no dangling edges and no cycle")
    units = set(int(r[0]) for r in query("SELECT id FROM mat_units"))
    children = collections.defaultdict(list)
    for row_id, source, target in query("SELECT id, input_unit_id, output_unit_id FROM genealogy_edges"):
        result.checked += 1
        for end in (source, target):
            if int(end) not in units:
                result.violations.append("edge %s names unit %s, which does not exist" % (row_id, end))
        children[int(source)].append(int(target))
    state = {}
    for root in sorted(children):
        stack = [(root, iter(children[root]))]
        if state.get(root):
            continue
        state[root] = 1
        while stack:
            node, successors = stack[-1]
            nxt = next(successors, None)
            if nxt is None:
                state[node] = 2
                stack.pop()
            elif state.get(nxt) == 1:
                result.violations.append("a cycle runs through unit %s" % nxt)
            elif not state.get(nxt):
                state[nxt] = 1
                stack.append((nxt, iter(children.get(nxt, []))))
    return result


def outbox(query, received_keys=None):
    """`received_keys`: the message ids the ERP recorded as effective (first delivery of each)."""
    result = Result("outbox delivered exactly once in effect")
    rows = query("SELECT message_id, status FROM erp_outbox_messages")
    counts = collections.Counter(r[0] for r in rows)
    result.checked = len(rows)
    for message_id, count in sorted(counts.items()):
        if count > 1:
            result.violations.append("message id %s is queued %d times" % (message_id, count))
    if received_keys is not None:
        effect = collections.Counter(received_keys)
        sent = set(r[0] for r in rows if r[1] == "sent")
        for message_id in sorted(sent):
            if effect[message_id] != 1:
                result.violations.append("sent message %s took effect %d times at the ERP" % (message_id, effect[message_id]))
        for key in sorted(set(effect) - set(counts)):
            result.violations.append("the ERP holds %s, which the MES never queued" % key)
    return result


def audit(gw):
    result = Result("audit chain verifies")
    result.checked = int(gw.system.db.runScalarPrepQuery("SELECT COUNT(*) FROM audit_trail", [], ""))
    broken = gw.call("mes.audit.verify")
    if broken is not None:
        result.violations.append("audit chain broken: %r" % (broken,))
    return result


def check_all(gw, received_keys=None, until_ms=None, database=""):
    """Every check over one gateway; a list of Results."""
    query = gateway_query(gw, database)
    return [material(query), production(query), oee_time(query, until_ms), genealogy(query),
            outbox(query, received_keys), audit(gw)]
