"""mes.machinestate, mes.shiftcalendar, mes.downtime and mes.oee as plain functions (no host)."""
from __future__ import absolute_import, division, print_function

import calendar as _calendar
import os

import pytest

from harness.core.library import ScriptLibrary

SCRIPTS = os.path.join(os.path.dirname(__file__), "..", "..", "project", "scripts")
mes = ScriptLibrary(SCRIPTS, {"system": None}).packages["mes"]
S = 1000
MIN = 60 * S
T0 = _calendar.timegm((2026, 1, 5, 6, 0, 0)) * S  # Monday 06:00 UTC

CAL = mes.shiftcalendar.parse_calendar({"utc_offset_minutes": 0, "shifts": [
    {"name": "Early", "start": "06:00", "end": "14:00", "days": [0, 1, 2, 3, 4],
     "breaks": [{"name": "Lunch", "start": "10:00", "end": "10:30"}]},
    {"name": "Night", "start": "22:00", "end": "06:00", "days": [0, 1, 2, 3, 4]}]})


def iv(start_min, end_min, category):
    return {"start_ms": T0 + start_min * MIN,
            "end_ms": None if end_min is None else T0 + end_min * MIN, "category": category}


def buckets(intervals, start_min, end_min, short_stop_s=120, now_min=None):
    s, e = T0 + start_min * MIN, T0 + end_min * MIN
    pieces = mes.shiftcalendar.segments(CAL, s, e)
    return mes.oee.time_buckets(intervals, pieces, s, e, short_stop_s * S,
                                None if now_min is None else T0 + now_min * MIN)


# --- machinestate -----------------------------------------------------------------------------

@pytest.mark.parametrize("code, quality_good, expected", [
    (1, True, ("running", True)),
    (5, True, ("unplanned", True)),
    (7, True, ("changeover", True)),
    (2, True, ("idle", True)),
    (99, True, ("unknown", False)),
    ("x", True, ("unknown", False)),
    (1, False, ("unknown", True)),
    (None, True, ("unknown", True)),
])
def test_state_codes_map_to_categories_and_unknown_codes_are_reported(code, quality_good, expected):
    table = mes.machinestate.parse_state_table(mes.machinestate.DEFAULT_STATE_TABLE)
    assert mes.machinestate.categorize(table, code, quality_good) == expected


def test_state_table_with_an_unknown_category_is_a_configuration_error():
    with pytest.raises(mes.machinestate.UnknownCategory) as err:
        mes.machinestate.parse_state_table({"1": "runing"})
    assert "'runing'" in str(err.value)
    assert isinstance(err.value, mes.errors.ConfigurationError)


@pytest.mark.parametrize("category, duration_s, short", [
    ("unplanned", 119, True), ("unplanned", 120, False), ("starved", 30, True),
    ("blocked", 119.999, True), ("changeover", 10, False), ("planned", 10, False),
    ("unknown", 10, False), ("idle", 10, False),
])
def test_only_unplanned_starved_blocked_stops_strictly_below_threshold_are_short(
        category, duration_s, short):
    assert mes.machinestate.is_short_stop(category, duration_s * S, 120 * S) is short


# --- shift calendar ---------------------------------------------------------------------------

def test_shift_segments_cover_the_window_with_the_break_as_its_own_piece():
    # Sunday night (05:00-06:00 Monday) has no shift: the night shift runs Monday to Friday

    pieces = mes.shiftcalendar.segments(CAL, T0 - 60 * MIN, T0 + 9 * 60 * MIN)
    assert [(round((s - T0) / MIN), round((e - T0) / MIN), kind, name)
            for s, e, kind, name in pieces] == [
        (-60, 0, "unscheduled", None), (0, 240, "scheduled", "Early"),
        (240, 270, "break", "Early"), (270, 480, "scheduled", "Early"),
        (480, 540, "unscheduled", None)]


def test_shift_at_finds_the_night_shift_that_started_the_day_before():
    # Sunday night is not in days 0..4, so 03:00 Monday belongs to no shift
    assert mes.shiftcalendar.shift_at(CAL, T0 - 3 * 60 * MIN) is None
    tuesday_3am = T0 + 21 * 60 * MIN
    inst = mes.shiftcalendar.shift_at(CAL, tuesday_3am)
    assert (inst["name"], inst["day"]) == ("Night", "2026-01-05")


def test_overlapping_shifts_are_rejected_naming_both():
    cal = mes.shiftcalendar.parse_calendar({"shifts": [
        {"name": "A", "start": "06:00", "end": "15:00"}, {"name": "B", "start": "14:00", "end": "22:00"}]})
    with pytest.raises(mes.shiftcalendar.InvalidCalendar) as err:
        mes.shiftcalendar.segments(cal, T0, T0 + 12 * 60 * MIN)
    assert "'A'" in str(err.value) and "'B'" in str(err.value)


@pytest.mark.parametrize("bad", [
    {"shifts": []},
    {"shifts": [{"name": "A", "start": "6", "end": "14:00"}]},
    {"shifts": [{"name": "A", "start": "06:00", "end": "14:00",
                 "breaks": [{"name": "L", "start": "15:00", "end": "15:30"}]}]},
])
def test_malformed_calendars_are_configuration_errors(bad):
    with pytest.raises(mes.shiftcalendar.InvalidCalendar):
        mes.shiftcalendar.parse_calendar(bad)


# --- time buckets -----------------------------------------------------------------------------

def test_stop_shorter_than_threshold_stays_in_production_time():
    b = buckets([iv(0, 60, "running"), iv(60, 61, "unplanned"), iv(61, 120, "running")], 0, 120)
    assert (b["running"], b["short_stop"], b["unplanned"]) == (119 * MIN, 1 * MIN, 0)


def test_stop_as_long_as_threshold_counts_as_downtime():
    b = buckets([iv(0, 60, "running"), iv(60, 62, "unplanned"), iv(62, 120, "running")], 0, 120)
    assert (b["short_stop"], b["unplanned"]) == (0, 2 * MIN)


def test_fault_overlapping_a_break_is_downtime_only_until_the_break():
    b = buckets([iv(0, 220, "running"), iv(220, 260, "unplanned"), iv(260, 480, "running")], 0, 480)
    assert (b["unplanned"], b["break"], b["running"]) == (20 * MIN, 20 * MIN, 440 * MIN)


def test_running_through_a_break_is_production_time():
    b = buckets([iv(0, 480, "running")], 0, 480)
    assert (b["running"], b["break"]) == (480 * MIN, 0)


def test_time_without_any_interval_is_unknown_never_lost():
    b = buckets([iv(30, 60, "running")], 0, 90)
    assert (b["unknown"], b["running"]) == (60 * MIN, 30 * MIN)


def test_open_interval_runs_to_now_and_short_stop_is_judged_on_its_length_so_far():
    b = buckets([iv(0, 60, "running"), iv(60, None, "unplanned")], 0, 61, now_min=61)
    assert (b["short_stop"], b["unplanned"]) == (MIN, 0)
    b = buckets([iv(0, 60, "running"), iv(60, None, "unplanned")], 0, 63, now_min=63)
    assert (b["short_stop"], b["unplanned"]) == (0, 3 * MIN)


def test_short_stop_is_judged_on_its_whole_length_even_when_the_window_cuts_it():
    b = buckets([iv(0, 59, "running"), iv(59, 62, "unplanned")], 0, 60)
    assert (b["short_stop"], b["unplanned"]) == (0, MIN)


# --- KPIs -------------------------------------------------------------------------------------

def test_kpis_follow_iso_22400_2():
    """PBT 400 min = APT 360 + ADET 40; PRI 0.3 s (200/min); PQ 60000, SQ 600, RQ 300.

    A = 360/400 = 0.9; P = 60000*0.3 s / 21600 s = 18000/21600 = 0.8333…;
    GQ = 60000-600-300 = 59100, Q = 0.985; OEE = 0.9*0.8333…*0.985 = 0.73875.
    """
    b = dict((name, 0) for name in mes.oee.BUCKETS)
    b.update({"running": 360 * MIN, "unplanned": 40 * MIN, "break": 30 * MIN, "not_scheduled": 50 * MIN})
    k = mes.oee.kpis(b, [{"pq": 60000, "sq": 600, "rq": 300, "pri_ms": mes.oee.pri_ms(200.0)}])
    assert (k["PBT"], k["APT"], k["ADET"], k["PDOT"], k["NST"]) == (
        400 * MIN, 360 * MIN, 40 * MIN, 30 * MIN, 50 * MIN)
    assert k["A"] == 0.9
    assert k["P"] == pytest.approx(18000 / 21600, abs=1e-12)
    assert (k["GQ"], k["SQ"], k["RQ"], k["Q"]) == (59100, 600, 300, 0.985)
    assert k["OEE"] == pytest.approx(0.73875, abs=1e-12)
    k_good = mes.oee.kpis(b, [{"pq": 60000, "sq": 600, "rq": 300, "pri_ms": 300.0}], rework_is_good=True)
    assert (k_good["GQ"], k_good["Q"]) == (59400, 0.99)


def test_performance_above_100_percent_is_flagged_not_capped():
    b = dict((name, 0) for name in mes.oee.BUCKETS)
    b["running"] = 10 * MIN
    k = mes.oee.kpis(b, [{"pq": 2500, "sq": 0, "rq": 0, "pri_ms": 300.0}])
    assert k["P"] == 1.25 and k["performance_over_100"] is True and k["OEE"] == 1.25


@pytest.mark.parametrize("rate", [0, None, -5.0])
def test_missing_or_zero_ideal_rate_is_a_clear_configuration_error(rate):
    with pytest.raises(mes.oee.MissingIdealRate) as err:
        mes.oee.pri_ms(rate, "Line1/Filler", "Cola 0.5l")
    assert repr(rate) in str(err.value) and "'Line1/Filler'" in str(err.value)


def test_no_planned_busy_time_gives_no_ratios_and_stopped_shift_gives_zero_oee():
    b = dict((name, 0) for name in mes.oee.BUCKETS)
    b["not_scheduled"] = 60 * MIN
    k = mes.oee.kpis(b, [])
    assert (k["A"], k["P"], k["Q"], k["OEE"]) == (None, None, None, None)
    b["unplanned"] = 60 * MIN
    k = mes.oee.kpis(b, [])
    assert (k["A"], k["P"], k["Q"], k["OEE"]) == (0.0, None, None, 0.0)


def test_counter_frozen_only_while_running_past_the_limit():
    assert mes.oee.counter_frozen("running", T0, T0 + 10 * S, T0 + 70 * S, 60 * S) is True
    assert mes.oee.counter_frozen("running", T0, T0 + 11 * S, T0 + 70 * S, 60 * S) is False
    assert mes.oee.counter_frozen("unplanned", T0, None, T0 + 700 * S, 60 * S) is False


# --- downtime ---------------------------------------------------------------------------------

def test_fault_code_maps_through_machine_entry_then_wildcard_then_category():
    faults = {("Line1/Filler", 101): "jam", ("*", 101): "mechanical", ("*", 7): "electrical"}
    rf = mes.downtime.reason_for_fault
    assert rf(faults, "Line1/Filler", 101, "unplanned") == "jam"
    assert rf(faults, "Line1/Capper", 101, "unplanned") == "mechanical"
    assert rf(faults, "Line1/Capper", 55, "unplanned") == "unassigned"
    assert rf(faults, "Line1/Capper", 0, "starved") == "starved"


def test_reason_tree_rejects_missing_parents_and_cycles():
    with pytest.raises(mes.downtime.InvalidReasonTree):
        mes.downtime.parse_reason_tree([("jam", "mech")])
    with pytest.raises(mes.downtime.InvalidReasonTree):
        mes.downtime.parse_reason_tree([("a", "b"), ("b", "a")])
    tree = mes.downtime.parse_reason_tree([("mech", None), ("jam", "mech")])
    assert mes.downtime.reason_path(tree, "jam") == ["mech", "jam"]


def test_overlapping_manual_reasons_are_rejected():
    with pytest.raises(mes.downtime.OverlappingReasons):
        mes.downtime.validate_splits(0, 100, [(0, 60, "jam"), (50, 100, "material")])
    with pytest.raises(mes.downtime.SplitOutsideEvent):
        mes.downtime.validate_splits(0, 100, [(0, 120, "jam")])


def test_split_pieces_and_gaps_partition_the_event():
    assert mes.downtime.effective_reasons(0, 100, "unassigned", [(20, 50, "jam"), (70, 100, "material")]) == [
        (0, 20, "unassigned"), (20, 50, "jam"), (50, 70, "unassigned"), (70, 100, "material")]


def test_pareto_sorts_longest_first_with_cumulative_share():
    rows = mes.downtime.pareto([("jam", 30, 1), ("material", 10, 2), ("jam", 20, 3), ("adj", 50, 4)])
    assert [(r["reason"], r["duration_ms"], r["events"]) for r in rows] == [
        ("adj", 50, 1), ("jam", 50, 2), ("material", 10, 1)]
    assert [r["share"] for r in rows] == [50 / 110, 50 / 110, 10 / 110]
    assert rows[-1]["cumulative"] == 1.0


def test_mtbf_and_mttr_from_failures():
    assert mes.downtime.mtbf_mttr(3600 * S, [300 * S, 600 * S]) == (1800.0, 450.0)
    assert mes.downtime.mtbf_mttr(3600 * S, []) == (None, None)
