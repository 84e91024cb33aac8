"""Inspection plans per item revision and operation, and the readings judged against them.

A plan holds characteristics. A *variable* characteristic has a nominal, LSL and/or USL, units
and, when measured automatically, the gauge tag it comes from; an *attribute* check records
pass/fail. Each says how many readings a sample has (`sample_size`), how often a sample is due
(`every` part, `every_n` parts, `per_time` seconds) and whether the quality gate requires it.
SPC settings per characteristic: `spc_rules` (e.g. "N1,N2,N3"), the centre and sigma of its
individuals chart once established, and whether a rule hit puts the work order on hold.

Readings are checked here as plain values (`accepted_value`, `judge`): bad OPC
quality, a value outside the gauge's range, a unit other than the characteristic's and a
non-numeric entry are each refused with their own error. Spec limits are inclusive: a value equal
to LSL or USL passes.
"""
from __future__ import absolute_import, division, print_function

__all__ = ["BadQualityReading", "FREQUENCIES", "KINDS", "NonNumericEntry", "OutOfGaugeRange",
           "UnitMismatch", "accepted_value", "characteristic", "chart", "check_characteristic",
           "define_plan", "due", "judge", "measurements", "plan", "reading_value"]

KINDS = ("variable", "attribute")
FREQUENCIES = ("every", "every_n", "per_time")
_PASS_WORDS = ("pass", "ok", "good", "true", "1")
_FAIL_WORDS = ("fail", "nok", "bad", "false", "0")


class BadQualityReading(mes.errors.InvalidInput):  # noqa: F821
    """The gauge tag's value is not of good quality, so it cannot be judged."""
    code = "bad_quality_reading"


class OutOfGaugeRange(mes.errors.InvalidInput):  # noqa: F821
    """The value lies outside what the gauge can measure (a fault, not a part)."""
    code = "out_of_gauge_range"


class UnitMismatch(mes.errors.InvalidInput):  # noqa: F821
    """The reading's unit is not the characteristic's unit."""
    code = "unit_mismatch"


class NonNumericEntry(mes.errors.InvalidInput):  # noqa: F821
    """An entered value is not a number (or pass/fail for an attribute check)."""
    code = "non_numeric_entry"


def _tm():
    return mes.transaction  # noqa: F821


def _invalid(message, *values):
    return mes.errors.InvalidInput(message % values)  # noqa: F821


def _float(spec, key):
    value = spec.get(key)
    if value is None:
        return None
    if isinstance(value, bool):
        raise _invalid("Characteristic %s must be a number, got %r.", key, value)
    try:
        result = float(value)
    except (TypeError, ValueError):
        raise _invalid("Characteristic %s must be a number, got %r.", key, value)
    if result != result or result in (float("inf"), float("-inf")):
        raise _invalid("Characteristic %s must be finite, got %r.", key, value)
    return result


def check_characteristic(spec):
    """A characteristic definition (dict) checked and completed with defaults; raises InvalidInput."""
    known = ("name", "kind", "nominal", "lsl", "usl", "units", "gauge_tag", "sample_size",
             "frequency", "frequency_value", "required", "spc_rules", "spc_center", "spc_sigma",
             "spc_hold")
    for key in sorted(spec):
        if key not in known:
            raise _invalid("Unknown characteristic field %r; known: %s.", key, ", ".join(known))
    name = spec.get("name")
    if not isinstance(name, mes.compat.string_types) or not name.strip():  # noqa: F821
        raise _invalid("A characteristic needs a name, got %r.", name)
    kind = spec.get("kind", "variable")
    if kind not in KINDS:
        raise _invalid("Characteristic kind must be one of %s, got %r.", ", ".join(KINDS), kind)
    result = {"name": mes.compat.text(name.strip()), "kind": kind}  # noqa: F821
    for key in ("nominal", "lsl", "usl", "spc_center", "spc_sigma"):
        result[key] = _float(spec, key)
    if kind == "variable":
        if result["lsl"] is None and result["usl"] is None:
            raise _invalid("Variable characteristic %r needs an LSL or a USL.", result["name"])
        if result["lsl"] is not None and result["usl"] is not None and result["lsl"] > result["usl"]:
            raise _invalid("LSL %r is above USL %r for %r.", result["lsl"], result["usl"], result["name"])
        if not spec.get("units"):
            raise _invalid("Variable characteristic %r needs units.", result["name"])
    if result["spc_sigma"] is not None and not result["spc_sigma"] > 0:
        raise _invalid("SPC sigma must be positive, got %r.", result["spc_sigma"])
    result["units"] = mes.compat.text(spec["units"]) if spec.get("units") else None  # noqa: F821
    result["gauge_tag"] = mes.compat.text(spec["gauge_tag"]) if spec.get("gauge_tag") else None  # noqa: F821
    size = spec.get("sample_size", 1)
    if isinstance(size, bool) or not isinstance(size, mes.compat.integer_types) or size < 1:  # noqa: F821
        raise _invalid("Sample size must be a positive integer, got %r.", size)
    result["sample_size"] = int(size)
    frequency = spec.get("frequency", "every")
    if frequency not in FREQUENCIES:
        raise _invalid("Frequency must be one of %s, got %r.", ", ".join(FREQUENCIES), frequency)
    value = spec.get("frequency_value")
    if frequency != "every" and (isinstance(value, bool) or
                                 not isinstance(value, mes.compat.integer_types) or value < 1):  # noqa: F821
        raise _invalid("Frequency %r needs a positive integer frequency_value, got %r.", frequency, value)
    result["frequency"] = frequency
    result["frequency_value"] = int(value) if frequency != "every" else None
    result["required"] = bool(spec.get("required", True))
    rules = spec.get("spc_rules")
    if rules:
        mes.spcrules.hits_at([0.0], 0, rules)  # noqa: F821 - raises ValueError on an unknown rule
    result["spc_rules"] = mes.compat.text(rules) if rules else None  # noqa: F821
    result["spc_hold"] = bool(spec.get("spc_hold", False))
    return result


def define_plan(actor, item_id, revision, op_seq, characteristics, description=None, tx=None):
    """Create the inspection plan of an item revision's operation; returns the plan id.

    `characteristics` is a list of dicts (see `check_characteristic`). A plan is never edited in
    place: a changed plan belongs to a new item revision.
    """
    if isinstance(op_seq, bool) or not isinstance(op_seq, mes.compat.integer_types):  # noqa: F821
        raise _invalid("Operation sequence must be an integer, got %r.", op_seq)
    checked = []
    for spec in characteristics:
        try:
            checked.append(check_characteristic(spec))
        except ValueError as error:
            raise _invalid("Characteristic %r: %s", spec.get("name"), error)
    if not checked:
        raise _invalid("An inspection plan needs at least one characteristic, got %r.", characteristics)
    names = [c["name"] for c in checked]
    if len(set(names)) != len(names):
        raise _invalid("Characteristic names must be unique in a plan, got %r.", names)

    def work(tx):
        tm = _tm()
        if tm.one("SELECT id FROM qc_plans WHERE item_id = ? AND item_revision = ? AND op_seq = ?",
                  [item_id, revision, op_seq], tx):
            raise mes.errors.StateConflict(  # noqa: F821
                "Item %r revision %r operation %r already has an inspection plan."
                % (item_id, revision, op_seq))
        plan_id = tm.insert("INSERT INTO qc_plans (item_id, item_revision, op_seq, description, "
                            "created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                            [item_id, revision, op_seq, description, actor, tm.now()], tx)
        for c in checked:
            tm.insert("INSERT INTO qc_characteristics (plan_id, name, kind, nominal, lsl, "
                      "usl, units, gauge_tag, sample_size, frequency, frequency_value, required, "
                      "spc_rules, spc_center, spc_sigma, spc_hold) "
                      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      [plan_id, c["name"], c["kind"],
                       c["nominal"], c["lsl"], c["usl"], c["units"], c["gauge_tag"],
                       c["sample_size"], c["frequency"], c["frequency_value"], c["required"],
                       c["spc_rules"], c["spc_center"], c["spc_sigma"], c["spc_hold"]], tx)
        mes.audit.record(actor, "quality.plan.define", "plan/%d" % plan_id,  # noqa: F821
                         {"item_id": item_id, "revision": revision, "op_seq": op_seq,
                          "characteristics": names}, None, tx)
        return plan_id
    return _tm().run(work, tx)


_CHAR_SELECT = ("SELECT c.id AS char_id, c.plan_id, c.name, c.kind, c.nominal, c.lsl, c.usl, c.units, "
                 "c.gauge_tag, c.sample_size, c.frequency, c.frequency_value, c.required, "
                 "c.spc_rules, c.spc_center, c.spc_sigma, c.spc_hold, p.item_id, p.item_revision, "
                 "p.op_seq FROM qc_characteristics c JOIN qc_plans p ON p.id = c.plan_id ")


def _char_row(row):
    row = dict(row)
    for key in ("char_id", "plan_id", "sample_size", "op_seq"):
        row[key] = int(row[key])
    row["required"], row["spc_hold"] = bool(row["required"]), bool(row["spc_hold"])
    return row


def plan(item_id, revision, op_seq, tx=None):
    """The characteristics of the plan for (item, revision, operation), ordered by id ([] if none)."""
    def work(tx):
        return [_char_row(r) for r in _tm().rows(
            _CHAR_SELECT + "WHERE p.item_id = ? AND p.item_revision = ? AND p.op_seq = ? "
            "ORDER BY c.id", [item_id, revision, op_seq], tx)]
    return work(tx)


def characteristic(char_id, tx=None):
    """One characteristic with its plan's item, revision and operation; NotFound if unknown."""
    def work(tx):
        row = _tm().one(_CHAR_SELECT + "WHERE c.id = ?", [char_id], tx)
        if row is None:
            raise mes.errors.NotFound("Unknown characteristic id %r." % (char_id,))  # noqa: F821
        return _char_row(row)
    return work(tx)


def reading_value(char, raw):
    """The number a raw reading or entry stands for; NonNumericEntry when it is none.

    Attribute checks take True/False, 1/0 or pass/fail words (1.0 = conforming).
    """
    if char["kind"] == "attribute":
        if isinstance(raw, bool):
            return 1.0 if raw else 0.0
        word = mes.compat.text(raw).strip().lower() if raw is not None else ""  # noqa: F821
        if word in _PASS_WORDS:
            return 1.0
        if word in _FAIL_WORDS:
            return 0.0
        raise NonNumericEntry("Attribute check %r takes pass or fail, got %r." % (char["name"], raw),
                              value=mes.compat.text(raw))  # noqa: F821
    if raw is None or isinstance(raw, bool):
        raise NonNumericEntry("Reading for %r must be a number, got %r." % (char["name"], raw))
    try:
        value = float(raw.strip() if isinstance(raw, mes.compat.string_types) else raw)  # noqa: F821
    except (TypeError, ValueError):
        raise NonNumericEntry("Reading for %r must be a number, got %r." % (char["name"], raw),
                              value=mes.compat.text(raw))  # noqa: F821
    if value != value or value in (float("inf"), float("-inf")):
        raise NonNumericEntry("Reading for %r must be finite, got %r." % (char["name"], raw))
    return value


def accepted_value(char, raw, units=None, quality_good=True, gauge=None):
    """The number of a reading that can be judged, or the refusal: bad quality (checked first, the
    value of a bad reading means nothing), not a number, outside the gauge range, wrong unit."""
    if not quality_good:
        raise BadQualityReading("Reading %r for %r has bad quality; it was not judged."
                                % (raw, char["name"]))
    value = reading_value(char, raw)
    if gauge is not None:
        low, high = gauge.get("range_min"), gauge.get("range_max")
        if (low is not None and value < low) or (high is not None and value > high):
            raise OutOfGaugeRange("Reading %r for %r is outside the gauge range %r..%r."
                                  % (value, char["name"], low, high))
    if char["kind"] == "variable" and units is not None and \
            mes.compat.text(units).strip() != char["units"]:  # noqa: F821
        raise UnitMismatch("Reading for %r is in %r but the characteristic is in %r."
                           % (char["name"], units, char["units"]))
    return value


def judge(char, value):
    """True when `value` conforms: within [LSL, USL] (inclusive), or a passed attribute check."""
    if char["kind"] == "attribute":
        return value == 1.0
    if char["lsl"] is not None and value < char["lsl"]:
        return False
    if char["usl"] is not None and value > char["usl"]:
        return False
    return True


def due(char, parts_since_last, seconds_since_last):
    """Whether the next sample of `char` is due (no sample yet: pass None for both counts)."""
    if parts_since_last is None:
        return True
    if char["frequency"] == "every":
        return parts_since_last >= 1
    if char["frequency"] == "every_n":
        return parts_since_last >= char["frequency_value"]
    return seconds_since_last is None or seconds_since_last >= char["frequency_value"]


def measurements(wo_id, op_seq=None, char_id=None, limit=None, tx=None):
    """Stored measurements of a work order (optionally one operation / characteristic), oldest first."""
    sql = ("SELECT id AS measurement_id, char_id, wo_id, op_seq, station_id, lot, serial, "
           "operator, source, value, units, passed, measured_at FROM qc_measurements "
           "WHERE wo_id = ? ORDER BY id")

    def work(tx):
        found = []
        for row in _tm().rows(sql, [wo_id], tx):
            if (op_seq is None or int(row["op_seq"]) == op_seq) and \
                    (char_id is None or int(row["char_id"]) == char_id):
                row["passed"] = bool(row["passed"])
                row["measured_at"] = _tm().iso(row["measured_at"])
                for key in ("measurement_id", "char_id", "op_seq"):
                    row[key] = int(row[key])
                found.append(row)
        return found[-limit:] if limit else found
    return work(tx)


def chart(char_id, kind="imr", wo_id=None, last=None, tx=None):
    """A control chart of a variable characteristic's stored readings, with rule hits and
    capability (for screens and reports).

    `kind`: "imr" (individuals), "xbar_r" or "xbar_s" (consecutive readings grouped by the
    characteristic's sample size). `last` keeps the newest readings only; `wo_id` one order's.
    Returns {"kind", "chart" (as from mes.spc), "hits" (of the first chart), "capability"}.
    """
    def work(tx):
        char = characteristic(char_id, tx)
        if char["kind"] != "variable":
            raise _invalid("Characteristic %r is an attribute check; chart its counts with "
                           "mes.spc.p_chart instead.", char["name"])
        rows = _tm().rows("SELECT value, wo_id FROM qc_measurements WHERE char_id = ? "
                          "ORDER BY id", [char_id], tx)
        values = [float(r["value"]) for r in rows if wo_id is None or r["wo_id"] == wo_id]
        if last:
            values = values[-last:]
        spc = mes.spc  # noqa: F821
        try:
            if kind == "imr":
                result, data = spc.imr(values), values
                first = result["x"]
            elif kind in ("xbar_r", "xbar_s"):
                size = char["sample_size"]
                whole = len(values) - len(values) % size
                data = [values[i:i + size] for i in range(0, whole, size)]
                result = spc.xbar_r(data) if kind == "xbar_r" else spc.xbar_s(data)
                first = result["xbar"]
            else:
                raise _invalid("Chart kind must be imr, xbar_r or xbar_s, got %r.", kind)
            capability = mes.capability.capability(data, char["lsl"], char["usl"])  # noqa: F821
        except ValueError as error:
            raise _invalid("No %s chart of %r: %s", kind, char["name"], error)
        hits = mes.spcrules.evaluate(spc.standardize(first), char["spc_rules"] or None)  # noqa: F821
        return {"kind": kind, "chart": result, "hits": hits, "capability": capability}
    return work(tx)
