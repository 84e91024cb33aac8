"""Live SPC per characteristic: the individuals chart of its readings, judged as they arrive.

A variable characteristic with `spc_rules` and an established sigma is charted as individuals:
centre and sigma are set once from in-control history (`establish_limits`: the mean and
MR-bar/d2 of the readings) and kept until set again, so a drift shows against the process as it
was. Each new reading is judged with the rules (`mes.spcrules`) at the newest point over the
last `HISTORY` readings; hits are stored as signals.
"""
from __future__ import absolute_import, division, print_function

__all__ = ["HISTORY", "establish_limits", "judge_newest", "signals"]

#: Readings read back for the rules: the longest default window (N7, 15 points).
HISTORY = 15


def _tm():
    return mes.transaction  # noqa: F821


def judge_newest(char, station, measurement_id, verdict, tx):
    """Judge the newest reading of `char` (already stored as `measurement_id`) with its rules.

    Appends the rules hit to `verdict["signals"]` and, when the characteristic holds on a hit and
    the work order is not on hold yet, opens the NCR and hold and sets `verdict["spc_ncr_id"]`.
    """
    if not char["spc_rules"] or char["spc_sigma"] is None or char["kind"] != "variable":
        return
    tm = _tm()
    history = tm.rows("SELECT id, value FROM qc_measurements WHERE char_id = ? "
                      "ORDER BY id DESC LIMIT ?", [char["char_id"], HISTORY], tx)
    history.reverse()
    chart = {"points": [float(r["value"]) for r in history], "center": char["spc_center"],
             "sigmas": [char["spc_sigma"]] * len(history)}
    z = mes.spc.standardize(chart)  # noqa: F821
    hits = mes.spcrules.hits_at(z, len(z) - 1, char["spc_rules"])  # noqa: F821
    for hit in hits:
        first = int(history[hit["points"][0]]["id"])
        tm.insert("INSERT INTO qc_spc_signals (char_id, measurement_id, rule, "
                  "first_measurement_id, raised_at) VALUES (?, ?, ?, ?, ?)",
                  [char["char_id"], measurement_id, hit["rule"], first, tm.now()], tx)
        verdict["signals"].append(hit["rule"])
    if hits and char["spc_hold"] and not mes.nonconformance.is_on_hold(  # noqa: F821
            "wo", station["wo_id"], tx):
        opened = mes.nonconformance.open_with_hold(  # noqa: F821
            "spc", station["wo_id"], station["op_seq"], "wo", station["wo_id"],
            "SPC %s on %s at %s" % (",".join(verdict["signals"]), char["name"], station["station_id"]),
            station["station_id"], char["char_id"], measurement_id, tx)
        verdict["spc_ncr_id"] = opened["ncr_id"]
        tm.update("UPDATE qc_spc_signals SET hold_id = ? WHERE measurement_id = ?",
                  [opened["hold_id"], measurement_id], tx)


def establish_limits(actor, char_id, wo_id=None, last=None, tx=None):
    """Set a characteristic's individuals-chart centre and sigma (MR-bar/d2) from its readings.

    Uses the last `last` passed readings (all when None), optionally of one work order.
    Returns {"center", "sigma", "points"}.
    """
    def work(tx):
        tm = _tm()
        char = mes.inspection.characteristic(char_id, tx)  # noqa: F821
        rows = tm.rows("SELECT value, wo_id FROM qc_measurements WHERE char_id = ? AND passed = ? "
                       "ORDER BY id", [char_id, True], tx)
        values = [float(r["value"]) for r in rows if wo_id is None or r["wo_id"] == wo_id]
        if last:
            values = values[-last:]
        try:
            chart = mes.spc.imr(values)  # noqa: F821
        except ValueError as error:
            raise mes.errors.InvalidInput("Limits for %r cannot be set: %s" % (char["name"], error))  # noqa: F821
        tm.update("UPDATE qc_characteristics SET spc_center = ?, spc_sigma = ? WHERE id = ?",
                  [chart["mean"], chart["sigma_within"], char_id], tx)
        result = {"center": chart["mean"], "sigma": chart["sigma_within"], "points": len(values)}
        mes.audit.record(actor, "quality.spc.limits", "characteristic/%d" % char_id, result, None, tx)  # noqa: F821
        return result
    return _tm().run(work, tx)


def signals(char_id, tx=None):
    """SPC signals raised on a characteristic, oldest first."""
    def work(tx):
        found = _tm().rows("SELECT id AS signal_id, measurement_id, rule, first_measurement_id, "
                           "hold_id, raised_at FROM qc_spc_signals WHERE char_id = ? ORDER BY id",
                           [char_id], tx)
        for row in found:
            row["raised_at"] = _tm().iso(row["raised_at"])
        return found
    return work(tx)
