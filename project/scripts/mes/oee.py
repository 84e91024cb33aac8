"""OEE after ISO 22400-2: time buckets from state intervals and the shift calendar, and the KPIs.

Everything here is a plain function over plain values (epoch milliseconds, dicts), so the rules
are tested without a gateway; `mes.oeerecord` stores intervals and `mes.oeelive` feeds the tags.

Time model (per machine, over a window such as a shift; the buckets partition the window)::

    running, short_stop              -> APT   actual production time
    unplanned, unknown               -> ADET  actual unit delay time
    starved, blocked                 -> ADOT  actual unit down time (available, not executing)
    changeover                       -> AUST  actual unit setup time
    planned, break                   -> PDOT  planned down time
    idle, not_scheduled              -> outside the planned operation time
    PBT = APT + ADET + ADOT + AUST   (planned busy time);  POT = PBT + PDOT

KPIs: availability A = APT / PBT; effectiveness P = sum(PQ_i * PRI_i) / APT, PRI_i the planned
runtime per item (60 / ideal rate per minute) of the product made in count interval i; quality
Q = GQ / PQ; OEE = A * P * Q. PQ produced quantity (outfeed), SQ scrap (rejects), RQ rework,
GQ = PQ - SQ - RQ.

Decisions, taken once (see also `mes.machinestate` and `mes.shiftcalendar`):

* Short stops (strictly below the machine threshold) stay in APT: a performance loss.
* Time with no recorded state (gateway down before it knew the state, a gap) is ``unknown``.
* Rework is *not* good by default (first-pass quality, ISO: GQ excludes RQ); ``rework_is_good``
  switches a plant to counting reworked parts as good.
* Effectiveness above 100 % is reported as computed and flagged (``performance_over_100``), never
  capped: it means a wrong ideal rate or a miscounting sensor, and capping would hide that.
* Counters: the delta of two readings comes from ``mes.counter.delta`` (a drop larger than half
  the counter range is a rollover, a smaller drop is a reset that adds the new reading), so counts
  are never negative and never doubled.
* A missing or zero ideal rate is a ConfigurationError naming the machine and product: a
  performance figure without a rate would be made up.
* Line OEE is constraint-based: good output of the line's last machine times the PRI of the
  constraint (slowest) machine over the constraint's planned busy time. A line cannot beat its
  constraint, buffers decouple the other machines, and multiplying machine OEEs would count a
  stop once per machine it starves or blocks. A = APT/PBT of the constraint, P = PQ_out * PRI_c /
  APT_c, Q = GQ_out / PQ_out, so OEE_line = GQ_out * PRI_c / PBT_c.
"""
from __future__ import absolute_import, division, print_function

__all__ = ["BUCKETS", "MissingIdealRate", "counter_frozen", "iso_times", "kpis", "line_kpis",
           "pri_ms", "time_buckets"]

BUCKETS = ("blocked", "break", "changeover", "idle", "not_scheduled", "planned", "running",
           "short_stop", "starved", "unknown", "unplanned")


class MissingIdealRate(mes.errors.ConfigurationError):  # noqa: F821 - `mes` is the project library
    """No ideal rate (or a rate <= 0) is configured for a machine and product."""
    code = "missing_ideal_rate"


def pri_ms(rate_per_min, machine_id=None, product=None):
    """Planned runtime per item in ms from an ideal rate in parts/minute; raises MissingIdealRate."""
    if rate_per_min is None or not rate_per_min > 0:
        raise MissingIdealRate(
            "Ideal rate %r for machine %r, product %r must be a number above 0 parts/min; "
            "set it in oee_ideal_rates." % (rate_per_min, machine_id, product),
            machine=machine_id, product=product)
    return 60000.0 / rate_per_min


def _bucket(category, duration_ms, short_stop_ms, calendar_kind):
    if category == "running":
        return "running"
    if calendar_kind == "break":
        return "break"
    if calendar_kind == "unscheduled":
        return "not_scheduled"
    if category in ("idle", "planned"):
        return category
    if mes.machinestate.is_short_stop(category, duration_ms, short_stop_ms):  # noqa: F821
        return "short_stop"
    return category


def time_buckets(intervals, calendar_pieces, window_start, window_end, short_stop_ms, now_ms=None,
                 fill_gaps=True):
    """Split [window_start, window_end) into BUCKETS (ms); the values sum to the window length.

    intervals: state intervals of one machine, dicts with start_ms, end_ms (None = still open,
    runs to now_ms or the window end) and category. calendar_pieces: from
    `mes.shiftcalendar.segments` over the same window. Whether a stop is short is decided on its
    whole duration, not the part inside the window. Time without an interval is ``unknown``
    unless fill_gaps is False (a work order's intervals: the time between them is another order's).
    """
    open_end = window_end if now_ms is None else now_ms
    timeline = []
    cursor = window_start
    for iv in sorted(intervals, key=lambda i: i["start_ms"]):
        end = iv["end_ms"] if iv["end_ms"] is not None else max(open_end, iv["start_ms"])
        start = max(iv["start_ms"], cursor)
        if start > cursor and fill_gaps:
            timeline.append((cursor, min(start, window_end), "unknown", 0))
        clipped_end = min(end, window_end)
        if clipped_end > start:
            timeline.append((start, clipped_end, iv["category"], end - iv["start_ms"]))
        cursor = max(cursor, clipped_end)
        if cursor >= window_end:
            break
    if cursor < window_end and fill_gaps:
        timeline.append((cursor, window_end, "unknown", 0))
    buckets = dict((name, 0) for name in BUCKETS)
    for c_start, c_end, kind, _shift in calendar_pieces:
        for t_start, t_end, category, full in timeline:
            s, e = max(c_start, t_start), min(c_end, t_end)
            if e > s:
                buckets[_bucket(category, full, short_stop_ms, kind)] += e - s
    return buckets


def iso_times(buckets):
    """ISO 22400-2 time elements (ms) from the buckets: APT, ADET, ADOT, AUST, PDOT, PBT, POT, NST."""
    apt = buckets["running"] + buckets["short_stop"]
    adet = buckets["unplanned"] + buckets["unknown"]
    adot = buckets["starved"] + buckets["blocked"]
    aust = buckets["changeover"]
    pdot = buckets["planned"] + buckets["break"]
    pbt = apt + adet + adot + aust
    return {"APT": apt, "ADET": adet, "ADOT": adot, "AUST": aust, "PDOT": pdot, "PBT": pbt,
            "POT": pbt + pdot, "NST": buckets["idle"] + buckets["not_scheduled"]}


def kpis(buckets, counts, rework_is_good=False):
    """A, P, Q, OEE and the ISO quantities from time buckets and count records.

    counts: dicts with pq, sq, rq (non-negative integers) and pri_ms (planned runtime per item;
    required when pq > 0). Ratios are None when their denominator is 0, except that OEE is 0.0
    whenever planned busy time passed with no production.
    """
    times = iso_times(buckets)
    pq = sq = rq = 0
    ideal_ms = 0.0
    for rec in counts:
        if rec["pq"] < 0 or rec["sq"] < 0 or rec.get("rq", 0) < 0:
            raise mes.errors.InvalidInput("Count record %r has a negative quantity." % (rec,))  # noqa: F821
        pq += rec["pq"]
        sq += rec["sq"]
        rq += rec.get("rq", 0)
        if rec["pq"]:
            if rec.get("pri_ms") is None or not rec["pri_ms"] > 0:
                raise MissingIdealRate("Count record %r has no planned runtime per item." % (rec,))
            ideal_ms += rec["pq"] * rec["pri_ms"]
    gq = max(pq - sq - (0 if rework_is_good else rq), 0)
    apt, pbt = times["APT"], times["PBT"]
    availability = apt / pbt if pbt else None
    performance = ideal_ms / apt if apt else None
    quality = gq / pq if pq else None
    if availability is None:
        oee = None
    elif not availability or not performance or quality is None:
        oee = 0.0
    else:
        oee = availability * performance * quality
    result = {"A": availability, "P": performance, "Q": quality, "OEE": oee,
              "PQ": pq, "GQ": gq, "SQ": sq, "RQ": rq, "ideal_ms": ideal_ms,
              "performance_over_100": performance is not None and performance > 1.0,
              "counts_without_running": pq > 0 and not apt}
    for name in ("APT", "ADET", "ADOT", "AUST", "PDOT", "PBT", "POT", "NST"):
        result[name] = times[name]
    return result


def line_kpis(constraint_buckets, output_counts, rework_is_good=False):
    """Line KPIs: constraint time buckets with the output machine's counts at the constraint's PRI.

    output_counts carry ``pri_ms`` of the *constraint* machine for each product.
    """
    return kpis(constraint_buckets, output_counts, rework_is_good)


def counter_frozen(category, state_start_ms, last_count_ms, now_ms, frozen_after_ms):
    """True when the machine has been running for frozen_after_ms without one count."""
    if category != "running" or frozen_after_ms is None:
        return False
    since = max(state_start_ms, last_count_ms if last_count_ms is not None else state_start_ms)
    return now_ms - since >= frozen_after_ms
