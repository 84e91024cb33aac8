"""Routings: the ordered operations of an item revision, and the rule of what may start when.

Operations are ordered by `op_seq`. Consecutive operations that share a `parallel_group` form one
stage and may run in any order or at the same time; every other operation is a stage of its own.
An operation may start when every operation of every earlier stage is complete or skipped; an
earlier *optional* operation that was never started does not block — it is skipped when a later
operation starts (so it cannot be done out of order afterwards). An optional operation that is
running or paused still blocks. This rule is `blocking()`, a plain function over plain values.
"""
from __future__ import absolute_import, division, print_function

__all__ = ["DONE", "RoutingViolation", "UnknownRouting", "blocking", "define", "operations",
           "skippable", "stages"]

#: Operation states that let later stages start.
DONE = ("complete", "skipped", "closed")


class UnknownRouting(mes.errors.NotFound):  # noqa: F821
    """No routing for that item revision."""
    code = "unknown_routing"


class RoutingViolation(mes.errors.StateConflict):  # noqa: F821
    """An operation was started before its predecessors were done."""
    code = "routing_violation"


def stages(ops):
    """Stage number per op_seq: {op_seq: stage}, parallel groups sharing one number."""
    result, stage, previous_group = {}, -1, None
    for op in sorted(ops, key=lambda o: int(o["op_seq"])):
        group = op.get("parallel_group")
        if group is None or group != previous_group:
            stage += 1
        result[int(op["op_seq"])] = stage
        previous_group = group
    return result


def blocking(ops, op_seq):
    """The op_seqs (sorted) that keep operation `op_seq` from starting; [] when it may start.

    `ops` are dicts with op_seq, parallel_group, optional and status.
    """
    stage_of = stages(ops)
    mine = stage_of[int(op_seq)]
    found = []
    for op in ops:
        if stage_of[int(op["op_seq"])] >= mine or op["status"] in DONE:
            continue
        if op.get("optional") and op["status"] == "released":
            continue
        found.append(int(op["op_seq"]))
    return sorted(found)


def skippable(ops, op_seq):
    """The optional, never-started op_seqs of earlier stages (skipped when `op_seq` starts)."""
    stage_of = stages(ops)
    mine = stage_of[int(op_seq)]
    return sorted(int(op["op_seq"]) for op in ops
                  if stage_of[int(op["op_seq"])] < mine and op.get("optional")
                  and op["status"] == "released")


def _number(name, value, op_seq):
    if isinstance(value, bool) or not isinstance(value, (int, float) + mes.compat.integer_types):  # noqa: F821
        raise mes.errors.InvalidInput("Operation %r: %s must be a number, got %r." % (  # noqa: F821
            op_seq, name, value))
    if value < 0:
        raise mes.errors.InvalidInput("Operation %r: %s must not be negative, got %r." % (  # noqa: F821
            op_seq, name, value))
    return float(value)


def _validate(ops):
    if not ops:
        raise mes.errors.InvalidInput("A routing needs at least one operation.")  # noqa: F821
    clean, seen = [], set()
    for op in ops:
        seq = op.get("op_seq")
        if isinstance(seq, bool) or not isinstance(seq, mes.compat.integer_types) or seq <= 0:  # noqa: F821
            raise mes.errors.InvalidInput("An op_seq must be a positive integer, got %r." % (seq,))  # noqa: F821
        if seq in seen:
            raise mes.errors.InvalidInput("Operation %r appears twice in the routing." % (seq,))  # noqa: F821
        seen.add(seq)
        clean.append({"op_seq": int(seq), "work_center_id": op.get("work_center_id"),
                      "description": op.get("description"),
                      "setup_minutes": _number("setup_minutes", op.get("setup_minutes", 0), seq),
                      "run_minutes_per_unit": _number("run_minutes_per_unit",
                                                      op.get("run_minutes_per_unit", 0), seq),
                      "parallel_group": op.get("parallel_group"),
                      "optional": bool(op.get("optional", False))})
    clean.sort(key=lambda o: o["op_seq"])
    closed_groups, previous = set(), None
    for op in clean:
        group = op["parallel_group"]
        if group is not None and group != previous and group in closed_groups:
            raise mes.errors.InvalidInput(  # noqa: F821
                "Parallel group %r must be consecutive operations; op %r is apart." % (
                    group, op["op_seq"]))
        if previous is not None:
            closed_groups.add(previous)
        previous = group
    return clean


def define(actor, item_id, item_revision, ops, tx=None):
    """Replace the routing of an item revision (engineer role); returns the op_seqs.

    `ops` is a list of dicts: op_seq, work_center_id, description, setup_minutes,
    run_minutes_per_unit, parallel_group (None for a sequential op), optional (bool).
    Released work orders keep the operations they were released with.
    """
    clean = _validate(list(ops))

    def work(tx):
        tm = mes.transaction  # noqa: F821
        mes.security.require_role(actor, "engineer", tx)  # noqa: F821
        mes.item.get(item_id, item_revision, tx)  # noqa: F821
        for op in clean:
            mes.workcenter.get(op["work_center_id"], tx)  # noqa: F821
        tm.update("DELETE FROM routing_operations WHERE item_id = ? AND item_revision = ?",
                  [item_id, item_revision], tx)
        for op in clean:
            tm.update("INSERT INTO routing_operations (item_id, item_revision, op_seq, "
                      "work_center_id, description, setup_minutes, run_minutes_per_unit, "
                      "parallel_group, optional) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      [item_id, item_revision, op["op_seq"], op["work_center_id"],
                       op["description"], op["setup_minutes"], op["run_minutes_per_unit"],
                       op["parallel_group"], op["optional"]], tx)
        mes.audit.record(actor, "routing.define", "routing/%s/%s" % (item_id, item_revision),  # noqa: F821
                         {"operations": clean}, None, tx)
        return [op["op_seq"] for op in clean]
    return mes.transaction.run(work, tx)  # noqa: F821


def operations(item_id, item_revision, tx=None):
    """The routing's operations ordered by op_seq; raises UnknownRouting when there are none."""
    def work(tx):
        found = mes.transaction.rows(  # noqa: F821
            "SELECT op_seq, work_center_id, description, setup_minutes, run_minutes_per_unit, "
            "parallel_group, optional FROM routing_operations WHERE item_id = ? AND "
            "item_revision = ? ORDER BY op_seq", [item_id, item_revision], tx)
        if not found:
            raise UnknownRouting("No routing for item %r revision %r." % (item_id, item_revision))
        for op in found:
            op["op_seq"] = int(op["op_seq"])
            op["optional"] = bool(op["optional"])
        return found
    return mes.transaction.run(work, tx)  # noqa: F821
