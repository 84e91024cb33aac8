"""system.date and system.util behave like Ignition's (Java conventions), on the gateway clock."""
import datetime

import pytest

MONDAY = datetime.datetime(2026, 1, 5, 6, 30, 15, 250000)


@pytest.fixture
def date(gateway):
    return gateway.system.date


def test_now_is_the_gateway_clock(gateway):
    gateway.clock.advance(61.5)
    assert gateway.system.date.now() == datetime.datetime(2026, 1, 5, 6, 1, 1, 500000)


@pytest.mark.parametrize("pattern, text", [
    ("yyyy-MM-dd HH:mm:ss", "2026-01-05 06:30:15"),
    ("yyyy-MM-dd'T'HH:mm:ss.SSS", "2026-01-05T06:30:15.250"),
    ("EEE, d MMM yy h:mm a", "Mon, 5 Jan 26 6:30 AM"),
    ("EEEE MMMM dd", "Monday January 05"),
    ("'shift' HH'h'", "shift 06h"),
])
def test_format_takes_simple_date_format_patterns(date, pattern, text):
    assert date.format(MONDAY, pattern) == text


@pytest.mark.parametrize("text, pattern, expected", [
    ("2026-01-05 06:30:15", "yyyy-MM-dd HH:mm:ss", datetime.datetime(2026, 1, 5, 6, 30, 15)),
    ("05/01/2026 6:30 PM", "dd/MM/yyyy h:mm a", datetime.datetime(2026, 1, 5, 18, 30)),
    ("5 Jan 2026", "d MMM yyyy", datetime.datetime(2026, 1, 5)),
])
def test_parse_reads_what_format_writes(date, text, pattern, expected):
    assert date.parse(text, pattern) == expected


def test_parse_names_the_text_that_does_not_match(date):
    with pytest.raises(ValueError, match="'5th of Jan'"):
        date.parse("5th of Jan", "yyyy-MM-dd")


def test_months_are_zero_based_and_sunday_is_day_one(date):
    assert date.getDate(2026, 0, 31) == datetime.datetime(2026, 1, 31)
    assert date.getMonth(MONDAY) == 0
    assert date.getDayOfWeek(MONDAY) == 2
    assert date.getDayOfWeek(datetime.datetime(2026, 1, 4)) == 1
    assert date.getQuarter(datetime.datetime(2026, 11, 25)) == 4


def test_adding_months_clamps_to_the_end_of_the_month(date):
    assert date.addMonths(datetime.datetime(2026, 1, 31), 1) == datetime.datetime(2026, 2, 28)
    assert date.addYears(datetime.datetime(2028, 2, 29), 1) == datetime.datetime(2029, 2, 28)


def test_between_functions_truncate_toward_zero_with_the_sign_of_d2_minus_d1(date):
    start = datetime.datetime(2026, 1, 5, 6, 0)
    assert date.minutesBetween(start, datetime.datetime(2026, 1, 5, 7, 59, 59)) == 119
    assert date.hoursBetween(datetime.datetime(2026, 1, 5, 7, 59), start) == -1
    assert date.monthsBetween(datetime.datetime(2026, 1, 31), datetime.datetime(2026, 2, 28)) == 0
    assert date.daysBetween(start, datetime.datetime(2026, 1, 8, 5, 0)) == 2


def test_millis_round_trip_on_the_utc_timeline(date):
    assert date.toMillis(datetime.datetime(1970, 1, 2)) == 86400000
    assert date.fromMillis(1767594615250) == datetime.datetime(2026, 1, 5, 6, 30, 15, 250000)


def test_json_encode_is_compact_and_stable_and_decode_reverses_it(gateway):
    util = gateway.system.util
    text = util.jsonEncode({"b": [1, 2.5, None], "a": "x", "t": datetime.datetime(1970, 1, 1, 0, 0, 1)})
    assert text == '{"a":"x","b":[1,2.5,null],"t":1000}'
    assert util.jsonDecode('{"a": [1, true]}') == {"a": [1, True]}


def test_loggers_write_to_the_gateway_log_with_the_clock_time(gateway):
    gateway.clock.advance(5)
    logger = gateway.system.util.getLogger("Dispatch")
    logger.infof("started %s at %d", "WO-1", 10)
    logger.warn("low stock")
    records = [r for r in gateway.log.records if r.logger == "Dispatch"]
    assert [(r.level, r.message, str(r.timestamp)) for r in records] == [
        ("info", "started WO-1 at 10", "2026-01-05 06:00:05"), ("warn", "low stock", "2026-01-05 06:00:05")]


def test_globals_live_as_long_as_the_gateway(gateway):
    gateway.system.util.getGlobals()["shift"] = "A"
    assert gateway.eval("system.util.getGlobals()['shift']") == "A"


def test_invoke_later_runs_after_its_delay_on_the_gateway_clock(gateway):
    ran = []
    gateway.system.util.invokeLater(lambda: ran.append(gateway.system.date.now()), 1500)
    gateway.clock.advance(1)
    assert ran == []
    gateway.clock.advance(1)
    assert ran == [datetime.datetime(2026, 1, 5, 6, 0, 1, 500000)]
