"""OEE configuration in the database: calendars, lines, machines, state tables, reasons, rates.

`configure` takes one plain dict (as a plant keeps it in a JSON file) and upserts it in one
transaction, validating it first so a bad file changes nothing::

    {"calendars": {"TwoShift": {...shift calendar, see mes.shiftcalendar...}},
     "state_tables": {"Default": {"1": "running", "5": "unplanned", ...}},
     "reasons": [{"code": "mech", "parent": null, "name": "Mechanical"}, ...],
     "lines": [{"line_id": "Line1", "calendar": "TwoShift", "oee_path": "[default]OEE/Line1",
                "constraint": "Line1/Filler", "output": "Line1/Palletizer",
                "rework_is_good": false}],
     "machines": [{"machine_id": "Line1/Filler", "line_id": "Line1",
                   "source_path": "Genba/Plant1/Packaging/Line1/Filler",
                   "oee_path": "[default]OEE/Line1/Filler", "state_table": "Default",
                   "short_stop_s": 120, "frozen_after_s": 60, "counter_bits": 32, "sequence": 3,
                   "rates": [{"product": "*", "operation": "*", "rate_per_min": 200.0}],
                   "faults": {"101": "jam"}}],
     "faults": {"900": "utilities"}}

``source_path`` is the machine's tag folder without provider; ``oee_path`` is where its live OEE
tags are written. Fault codes under a machine apply to it only, top-level ``faults`` to every
machine (``*``).
"""
from __future__ import absolute_import, division, print_function

import json

__all__ = ["configure"]


def _validate(config):
    for cal_id in sorted(config.get("calendars", {})):
        mes.shiftcalendar.parse_calendar(config["calendars"][cal_id])  # noqa: F821
    for table_id in sorted(config.get("state_tables", {})):
        mes.machinestate.parse_state_table(config["state_tables"][table_id])  # noqa: F821
    tree = mes.downtime.parse_reason_tree(  # noqa: F821
        [(r["code"], r.get("parent")) for r in config.get("reasons", [])])
    faults = [config.get("faults", {})] + [m.get("faults", {}) for m in config.get("machines", [])]
    for table in faults:
        for code in sorted(table):
            mes.downtime.reason_path(tree, table[code])  # noqa: F821
    for m in config.get("machines", []):
        if not m.get("short_stop_s", 0) >= 0:
            raise mes.errors.ConfigurationError(  # noqa: F821
                "Short-stop threshold %r of machine %r must be 0 s or more." % (
                    m.get("short_stop_s"), m["machine_id"]))
        for rate in m.get("rates", []):
            mes.oee.pri_ms(rate.get("rate_per_min"), m["machine_id"], rate.get("product"))  # noqa: F821


def configure(config):
    """Validate and upsert an OEE configuration dict (see module doc); returns machine ids.

    Afterwards each machine's counters are read once, so the current readings are the baseline
    the next changes count from.
    """
    _validate(config)
    rec = mes.oeerecord  # noqa: F821
    rec.forget_configuration()

    def work(tx):
        for cal_id in sorted(config.get("calendars", {})):
            rec.update("INSERT INTO oee_calendars (calendar_id, definition) VALUES (?, ?) "
                       "ON CONFLICT (calendar_id) DO UPDATE SET definition = excluded.definition",
                       [cal_id, json.dumps(config["calendars"][cal_id], sort_keys=True)], tx)
        for table_id in sorted(config.get("state_tables", {})):
            table = mes.machinestate.parse_state_table(config["state_tables"][table_id])  # noqa: F821
            rec.update("DELETE FROM oee_state_codes WHERE state_table_id = ?", [table_id], tx)
            for code in sorted(table):
                rec.update("INSERT INTO oee_state_codes (state_table_id, code, category, name) "
                           "VALUES (?, ?, ?, NULL)", [table_id, code, table[code]], tx)
        for reason in config.get("reasons", []):
            rec.update("INSERT INTO oee_reasons (reason_code, parent_code, name) VALUES (?, ?, ?) "
                       "ON CONFLICT (reason_code) DO UPDATE SET parent_code = excluded.parent_code, "
                       "name = excluded.name",
                       [reason["code"], reason.get("parent"), reason.get("name", reason["code"])],
                       tx)
        for code in mes.downtime.CATEGORY_REASONS:  # noqa: F821
            rec.update("INSERT INTO oee_reasons (reason_code, parent_code, name) VALUES (?, NULL, ?) "
                       "ON CONFLICT (reason_code) DO NOTHING", [code, code], tx)
        for line in config.get("lines", []):
            rec.update("INSERT INTO oee_lines (line_id, calendar_id, oee_path, constraint_machine, "
                       "output_machine, rework_is_good) VALUES (?, ?, ?, ?, ?, ?) "
                       "ON CONFLICT (line_id) DO UPDATE SET calendar_id = excluded.calendar_id, "
                       "oee_path = excluded.oee_path, constraint_machine = "
                       "excluded.constraint_machine, output_machine = excluded.output_machine, "
                       "rework_is_good = excluded.rework_is_good",
                       [line["line_id"], line["calendar"], line["oee_path"],
                        line.get("constraint"), line.get("output"),
                        bool(line.get("rework_is_good", False))], tx)
        ids = []
        for m in config.get("machines", []):
            frozen = m.get("frozen_after_s")
            rec.update("INSERT INTO oee_machines (machine_id, line_id, source_path, oee_path, "
                       "state_table_id, short_stop_ms, frozen_after_ms, counter_bits, sequence_no) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (machine_id) DO UPDATE SET "
                       "line_id = excluded.line_id, source_path = excluded.source_path, "
                       "oee_path = excluded.oee_path, state_table_id = excluded.state_table_id, "
                       "short_stop_ms = excluded.short_stop_ms, "
                       "frozen_after_ms = excluded.frozen_after_ms, "
                       "counter_bits = excluded.counter_bits, sequence_no = excluded.sequence_no",
                       [m["machine_id"], m["line_id"], m["source_path"], m["oee_path"],
                        m.get("state_table", "Default"), int(m.get("short_stop_s", 0) * 1000),
                        None if frozen is None else int(frozen * 1000),
                        int(m.get("counter_bits", 32)), int(m.get("sequence", 0))], tx)
            for rate in m.get("rates", []):
                rec.update("INSERT INTO oee_ideal_rates (machine_id, product, operation, "
                           "rate_per_min) VALUES (?, ?, ?, ?) ON CONFLICT (machine_id, product, "
                           "operation) DO UPDATE SET rate_per_min = excluded.rate_per_min",
                           [m["machine_id"], rate.get("product", "*"), rate.get("operation", "*"),
                            float(rate["rate_per_min"])], tx)
            ids.append(m["machine_id"])
        scoped = [("*", config.get("faults", {}))] + [
            (m["machine_id"], m.get("faults", {})) for m in config.get("machines", [])]
        for machine_id, table in scoped:
            for code in sorted(table):
                rec.update("INSERT INTO oee_fault_reasons (machine_id, fault_code, reason_code) "
                           "VALUES (?, ?, ?) ON CONFLICT (machine_id, fault_code) DO UPDATE SET "
                           "reason_code = excluded.reason_code",
                           [machine_id, int(code), table[code]], tx)
        return ids
    ids = rec.transaction(work)
    rec.forget_configuration()
    for machine_id in ids:
        rec.read_counters(machine_id)
    return ids
