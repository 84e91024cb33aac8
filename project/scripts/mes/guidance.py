"""Operator guidance: versioned work instructions of ordered steps with required inputs.

An engineer writes an instruction for an item revision and operation (a new draft version each
time) and approves it with an electronic signature; approving supersedes the previously approved
version. A work order pins the version approved when it is released and keeps it. Steps are done
in order: a step can be recorded once every earlier required step is recorded, and an operation
cannot complete until every required step is. Step kinds and what they accept:

- scan: non-blank text; `spec.pattern` (a regular expression) must match the whole text.
- measurement: a number (or numeric text); `spec.low`/`spec.high` are plausibility limits.
- choice: one of `spec.choices`.
- check: True (the operator confirms).
- text: non-blank text up to `spec.max_length` (default 2000), stored verbatim.
"""
from __future__ import absolute_import, division, print_function

import json
import re

__all__ = ["KINDS", "StepOutOfOrder", "UnknownInstruction", "approve", "current", "define",
           "for_operation", "get", "missing_steps", "record", "validate_value"]

KINDS = ("scan", "measurement", "choice", "check", "text")


class UnknownInstruction(mes.errors.NotFound):  # noqa: F821
    """No work instruction (or step) with that id."""
    code = "unknown_instruction"


class StepOutOfOrder(mes.errors.StateConflict):  # noqa: F821
    """An earlier required step is not done yet."""
    code = "step_out_of_order"


def _tm():
    return mes.transaction  # noqa: F821


def _invalid(message):
    return mes.errors.InvalidInput(message)  # noqa: F821


def _clean_step(number, step):
    kind = step.get("kind")
    if kind not in KINDS:
        raise _invalid("Step %d: kind must be one of %s, got %r." % (number, "|".join(KINDS), kind))
    prompt = step.get("prompt")
    if not isinstance(prompt, mes.compat.string_types) or not prompt.strip():  # noqa: F821
        raise _invalid("Step %d: a prompt is required, got %r." % (number, prompt))
    spec = dict(step.get("spec") or {})
    if kind == "choice" and not spec.get("choices"):
        raise _invalid("Step %d: a choice step needs spec.choices." % number)
    if kind == "scan" and spec.get("pattern") is not None:
        try:
            re.compile(spec["pattern"])
        except re.error:
            raise _invalid("Step %d: spec.pattern %r is not a regular expression." % (
                number, spec["pattern"]))
    return {"step_no": number, "kind": kind, "prompt": prompt,
            "required": bool(step.get("required", True)), "spec": spec}


def define(actor, item_id, item_revision, op_seq, steps, title=None, tx=None):
    """Write a new draft version of an instruction (engineer role); returns its id."""
    if not steps:
        raise _invalid("A work instruction needs at least one step.")
    clean = [_clean_step(n + 1, s) for n, s in enumerate(steps)]

    def work(tx):
        mes.security.require_role(actor, "engineer", tx)  # noqa: F821
        mes.item.get(item_id, item_revision, tx)  # noqa: F821
        last = _tm().scalar("SELECT MAX(version) AS v FROM work_instructions WHERE item_id = ? "
                            "AND item_revision = ? AND op_seq = ?",
                            [item_id, item_revision, op_seq], tx)
        version = int(last or 0) + 1
        instruction_id = _tm().insert(
            "INSERT INTO work_instructions (item_id, item_revision, op_seq, version, title, "
            "status, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [item_id, item_revision, op_seq, version, title, "draft", actor, _tm().now()], tx)
        for step in clean:
            _tm().update("INSERT INTO instruction_steps (instruction_id, step_no, kind, prompt, "
                         "required, spec) VALUES (?, ?, ?, ?, ?, ?)",
                         [instruction_id, step["step_no"], step["kind"], step["prompt"],
                          step["required"], mes.audit.canonical(step["spec"])], tx)  # noqa: F821
        mes.audit.record(actor, "guidance.define", "instruction/%d" % instruction_id,  # noqa: F821
                         {"item_id": item_id, "item_revision": item_revision, "op_seq": op_seq,
                          "version": version, "steps": clean}, None, tx)
        return instruction_id
    return _tm().run(work, tx)


def get(instruction_id, tx=None):
    """An instruction with its ordered steps; raises UnknownInstruction."""
    def work(tx):
        found = _tm().one("SELECT id, item_id, item_revision, op_seq, version, title, status, "
                          "created_by, approval_signature FROM work_instructions WHERE id = ?",
                          [instruction_id], tx)
        if found is None:
            raise UnknownInstruction("Unknown work instruction %r." % (instruction_id,))
        found["instruction_id"] = int(found.pop("id"))
        found["version"] = int(found["version"])
        found["op_seq"] = int(found["op_seq"])
        steps = _tm().rows("SELECT step_no, kind, prompt, required, spec FROM instruction_steps "
                           "WHERE instruction_id = ? ORDER BY step_no", [instruction_id], tx)
        for step in steps:
            step["step_no"] = int(step["step_no"])
            step["required"] = bool(step["required"])
            step["spec"] = json.loads(step["spec"])
        found["steps"] = steps
        return found
    return _tm().run(work, tx)


def approve(actor, password, instruction_id, meaning="approved", tx=None):
    """Approve a draft with the engineer's electronic signature; returns the signature id."""
    def work(tx):
        instruction = get(instruction_id, tx)
        if instruction["status"] != "draft":
            raise mes.errors.StateConflict("Work instruction %r is %r, not a draft." % (  # noqa: F821
                instruction_id, instruction["status"]))
        signature = mes.security.sign(actor, password, meaning, tx,  # noqa: F821
                                      "instruction/%d" % instruction["instruction_id"],
                                      "engineer")
        _tm().update("UPDATE work_instructions SET status = ? WHERE item_id = ? AND "
                     "item_revision = ? AND op_seq = ? AND status = ?",
                     ["superseded", instruction["item_id"], instruction["item_revision"],
                      instruction["op_seq"], "approved"], tx)
        _tm().update("UPDATE work_instructions SET status = ?, approval_signature = ? "
                     "WHERE id = ?", ["approved", signature, instruction_id], tx)
        mes.audit.record(actor, "guidance.approve", "instruction/%d" % int(instruction_id),  # noqa: F821
                         {"signature_id": signature, "version": instruction["version"]}, None, tx)
        return signature
    return _tm().run(work, tx)


def current(item_id, item_revision, op_seq, tx=None):
    """The id of the approved instruction for an item revision and operation, or None."""
    def work(tx):
        found = _tm().scalar("SELECT id FROM work_instructions WHERE item_id = ? AND "
                             "item_revision = ? AND op_seq = ? AND status = ?",
                             [item_id, item_revision, op_seq, "approved"], tx)
        return None if found is None else int(found)
    return _tm().run(work, tx)


def validate_value(step, value):
    """The text stored for `value` entered at `step`; raises InvalidInput naming the problem."""
    kind, spec, number = step["kind"], step["spec"], step["step_no"]
    text = mes.compat.text  # noqa: F821
    if kind in ("scan", "text"):
        if not isinstance(value, mes.compat.string_types) or not value.strip():  # noqa: F821
            raise _invalid("Step %d (%s) needs non-blank text, got %r." % (number, kind, value))
        if kind == "scan" and spec.get("pattern") is not None and \
                re.match("(?:" + spec["pattern"] + r")\Z", value) is None:
            raise _invalid("Step %d: scanned %r does not match %r." % (number, value,
                                                                       spec["pattern"]))
        if kind == "text" and len(value) > int(spec.get("max_length", 2000)):
            raise _invalid("Step %d: the text is longer than %d characters." % (
                number, int(spec.get("max_length", 2000))))
        return text(value)
    if kind == "measurement":
        try:
            if isinstance(value, bool):
                raise ValueError(value)
            number_value = float(value)
        except (TypeError, ValueError):
            raise _invalid("Step %d needs a number, got %r." % (number, value))
        if number_value != number_value or number_value in (float("inf"), float("-inf")):
            raise _invalid("Step %d needs a finite number, got %r." % (number, value))
        low, high = spec.get("low"), spec.get("high")
        if (low is not None and number_value < low) or (high is not None and number_value > high):
            raise _invalid("Step %d: %r is outside the plausible range %r..%r %s." % (
                number, number_value, low, high, spec.get("unit", "")))
        return text(repr(number_value))
    if kind == "choice":
        if value not in spec["choices"]:
            raise _invalid("Step %d: %r is not one of %s." % (number, value, spec["choices"]))
        return text(value)
    if value is not True:
        raise _invalid("Step %d is a check; confirm it with True, got %r." % (number, value))
    return text("true")


def for_operation(wo_id, op_seq, tx=None):
    """What the operator screen shows: the pinned instruction, each step with what was entered
    (`value`, `recorded_by`, `recorded_at`) and whether it is `done`; None without instruction."""
    def work(tx):
        op = mes.operation.get(wo_id, op_seq, tx)  # noqa: F821
        if op["instruction_id"] is None:
            return None
        instruction = get(op["instruction_id"], tx)
        done = dict((int(r["step_no"]), r) for r in _tm().rows(
            "SELECT step_no, entered_value, recorded_by, recorded_at FROM step_records "
            "WHERE wo_id = ? AND op_seq = ?", [wo_id, op["op_seq"]], tx))
        for step in instruction["steps"]:
            entry = done.get(step["step_no"])
            step["done"] = entry is not None
            step["value"] = None if entry is None else entry["entered_value"]
            step["recorded_by"] = None if entry is None else entry["recorded_by"]
            step["recorded_at"] = None if entry is None else _tm().iso(entry["recorded_at"])
        return instruction
    return _tm().run(work, tx)


def missing_steps(wo_id, op_seq, tx=None):
    """The numbers of required steps not yet recorded for an operation (sorted)."""
    def work(tx):
        found = for_operation(wo_id, op_seq, tx)
        if found is None:
            return []
        return [s["step_no"] for s in found["steps"] if s["required"] and not s["done"]]
    return _tm().run(work, tx)


def record(username, station_id, wo_id, op_seq, step_no, value, tx=None):
    """Record what the operator entered at a step of a running operation; returns the text stored."""
    def work(tx):
        mes.security.require_role(username, "operator", tx)  # noqa: F821
        mes.security.require_signed_in(username, station_id, tx)  # noqa: F821
        op = mes.operation.get(wo_id, op_seq, tx)  # noqa: F821
        mes.operation.check_station(op, station_id, tx)  # noqa: F821
        if op["status"] != "in_progress":
            raise mes.errors.StateConflict("Operation %s/%r is %r; steps are recorded while it is "  # noqa: F821
                                           "in progress." % (wo_id, op_seq, op["status"]))
        shown = for_operation(wo_id, op_seq, tx)
        if shown is None:
            raise UnknownInstruction("Operation %s/%r has no work instruction." % (wo_id, op_seq))
        steps = dict((s["step_no"], s) for s in shown["steps"])
        if step_no not in steps:
            raise UnknownInstruction("Work instruction %r has no step %r." % (
                shown["instruction_id"], step_no))
        step = steps[step_no]
        if step["done"]:
            raise mes.errors.StateConflict("Step %r of operation %s/%r is recorded already." % (  # noqa: F821
                step_no, wo_id, op_seq))
        earlier = [n for n in sorted(steps) if n < step_no and steps[n]["required"]
                   and not steps[n]["done"]]
        if earlier:
            raise StepOutOfOrder("Step %r of operation %s/%r comes after step(s) %s." % (
                step_no, wo_id, op_seq, ", ".join(str(n) for n in earlier)))
        stored = validate_value(step, value)
        _tm().update("INSERT INTO step_records (wo_id, op_seq, step_no, instruction_id, "
                     "entered_value, recorded_by, station_id, recorded_at) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                     [wo_id, op["op_seq"], step_no, shown["instruction_id"], stored, username,
                      station_id, _tm().now()], tx)
        mes.audit.record(username, "guidance.record", "wo/%s/%d" % (wo_id, op["op_seq"]),  # noqa: F821
                         {"step_no": step_no, "kind": step["kind"], "value": stored}, None, tx)
        return stored
    return _tm().run(work, tx)
