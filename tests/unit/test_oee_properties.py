"""Properties of the OEE rules over generated timelines (hypothesis)."""
from __future__ import absolute_import, division, print_function

import calendar as _calendar
import os

from hypothesis import given, settings, strategies as st

from harness.core.library import ScriptLibrary

SCRIPTS = os.path.join(os.path.dirname(__file__), "..", "..", "project", "scripts")
mes = ScriptLibrary(SCRIPTS, {"system": None}).packages["mes"]
S = 1000
MIN = 60 * S
T0 = _calendar.timegm((2026, 1, 5, 6, 0, 0)) * S
CAL = mes.shiftcalendar.parse_calendar({"shifts": [
    {"name": "Early", "start": "06:00", "end": "14:00",
     "breaks": [{"name": "Lunch", "start": "10:00", "end": "10:30"}]},
    {"name": "Late", "start": "14:00", "end": "22:00"}]})
CATEGORIES = st.sampled_from(mes.machinestate.CATEGORIES)

timelines = st.lists(st.tuples(st.integers(0, 40 * MIN), st.integers(1, 90 * MIN), CATEGORIES),
                     max_size=25)


def build(raw, start):
    intervals, cursor = [], start
    for gap, length, category in raw:
        cursor += gap
        intervals.append({"start_ms": cursor, "end_ms": cursor + length, "category": category})
        cursor += length
    return intervals


@settings(max_examples=200, deadline=None)
@given(timelines, st.integers(-600, 900), st.integers(1, 24 * 60), st.integers(0, 600))
def test_time_buckets_sum_to_calendar_time(raw, start_min, length_min, threshold_s):
    start = T0 + start_min * MIN
    end = start + length_min * MIN
    intervals = build(raw, T0 - 120 * MIN)
    pieces = mes.shiftcalendar.segments(CAL, start, end)
    assert sum(e - s for s, e, _k, _n in pieces) == end - start
    b = mes.oee.time_buckets(intervals, pieces, start, end, threshold_s * S)
    assert sum(b.values()) == end - start
    assert min(b.values()) >= 0


@settings(max_examples=200, deadline=None)
@given(timelines, st.integers(0, 10 ** 6), st.integers(0, 10 ** 6), st.integers(0, 10 ** 6),
       st.booleans())
def test_availability_and_quality_stay_within_0_and_1(raw, pq, sq, rq, rework_good):
    start, end = T0, T0 + 16 * 60 * MIN
    intervals = build(raw, start)
    b = mes.oee.time_buckets(intervals, mes.shiftcalendar.segments(CAL, start, end), start, end,
                             120 * S)
    sq = min(sq, pq)
    rq = min(rq, pq - sq)
    k = mes.oee.kpis(b, [{"pq": pq, "sq": sq, "rq": rq, "pri_ms": 300.0}], rework_good)
    for name in ("A", "Q"):
        assert k[name] is None or 0.0 <= k[name] <= 1.0
    assert 0 <= k["GQ"] <= k["PQ"]
    if k["P"] is not None:
        assert k["P"] >= 0.0
        assert k["performance_over_100"] == (k["P"] > 1.0)


readings = st.lists(st.one_of(st.integers(0, 2 ** 32 - 1), st.just(0), st.integers(0, 50)),
                    min_size=1, max_size=60)


@settings(max_examples=300, deadline=None)
@given(readings)
def test_counter_deltas_are_never_negative_and_never_exceed_one_wrap(values):
    total = 0
    for previous, current in zip(values, values[1:]):
        delta = mes.counter.delta(previous, current, bits=32)
        assert 0 <= delta < 2 ** 32
        total += delta
    assert total >= 0


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 10 ** 4), st.integers(1, 10 ** 4)), max_size=8))
def test_split_pieces_plus_gaps_always_partition_the_event(raw):
    pieces, cursor = [], 0
    for gap, length in raw:
        pieces.append((cursor + gap, cursor + gap + length, "r%d" % len(pieces)))
        cursor += gap + length
    end = cursor + 5
    parts = mes.downtime.effective_reasons(0, end, "base",
                                           mes.downtime.validate_splits(0, end, pieces))
    assert parts[0][0] == 0 and parts[-1][1] == end
    assert all(a[1] == b[0] for a, b in zip(parts, parts[1:]))
