"""mes.counter.delta: production from PLC counter readings, safe across wrap and reset."""
import pytest


@pytest.mark.parametrize("previous, current, expected", [
    (100, 150, 50),
    (100, 100, 0),
    (4294967290, 5, 11),          # wrapped past 2**32 - 1
    (4294967295, 0, 1),
    (100, 3, 3),                  # PLC restart: count from 0 again
    (2000000000, 0, 0),           # a drop of less than half the range is a reset
    (None, 10, 0),                # bad-quality reading
    (10, None, 0),
])
def test_delta_of_a_32_bit_counter(gateway, previous, current, expected):
    assert gateway.call("mes.counter.delta", previous, current) == expected


def test_a_16_bit_counter_wraps_at_65536(gateway):
    assert gateway.call("mes.counter.delta", 65530, 4, 16) == 10


@pytest.mark.parametrize("previous, current, problem", [
    (-1, 5, "outside"), (5, 2 ** 32, "outside"), ("12", 5, "not an integer"), (1.5, 5, "not an integer"),
])
def test_readings_that_are_not_counter_values_are_refused(gateway, previous, current, problem):
    errors = gateway.eval("mes.errors")
    with pytest.raises(errors.InvalidInput, match=problem):
        gateway.call("mes.counter.delta", previous, current)
