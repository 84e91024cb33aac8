"""mes.spcrules: each Nelson and Western Electric rule with a sequence that triggers it and one
that just does not (values are standardized points: sigmas from the centre line)."""
from __future__ import absolute_import, division, print_function

import pytest

from mes_pure import load

(rules,) = load("spcrules")


def _last(z, rule, **overrides):
    return [h for h in rules.hits_at(z, len(z) - 1, [rule], overrides or None)]


TRIGGERS = [
    # rule, sequence whose last point completes the pattern, pattern start
    ("N1", [0.0, 0.5, 3.01], 2),
    ("N1", [0.0, -3.2], 1),
    ("N2", [0.1] * 9, 0),
    ("N2", [-0.4, -1.2, -0.1, -2.0, -0.3, -0.8, -0.5, -1.1, -0.2], 0),
    ("N3", [-1.0, -0.5, 0.0, 0.5, 1.0, 1.5], 0),
    ("N3", [2.0, 1.5, 1.0, 0.5, 0.0, -0.5], 0),
    ("N4", [0.5, -0.5] * 7, 0),
    ("N5", [2.1, 0.0, 2.1], 0),
    ("N5", [0.0, -2.5, -2.1], 0),
    ("N6", [1.1, 1.2, 0.0, 1.5, 1.1], 0),
    ("N7", [0.5, -0.5, 0.9, -0.9, 0.0] * 3, 0),
    ("N8", [1.5, -1.5] * 4, 0),
    ("N8", [1.2] * 8, 0),
    ("WE1", [0.0, 3.5], 1),
    ("WE4", [0.3] * 8, 0),
]


@pytest.mark.parametrize("rule,z,start", TRIGGERS)
def test_sequence_completing_the_pattern_triggers_the_rule_at_its_last_point(rule, z, start):
    hits = _last(z, rule)
    assert hits == [{"rule": rule, "index": len(z) - 1, "points": list(range(start, len(z)))}]


JUST_NOT = [
    # rule, sequence one step short of the pattern
    ("N1", [0.0, 0.5, 3.0]),  # exactly on the control limit is in control
    ("N1", [0.0, -3.0]),
    ("N2", [0.1] * 8),  # eight in a row, nine needed
    ("N2", [0.1] * 4 + [0.0] + [0.1] * 4),  # a point on the centre line breaks the run
    ("N3", [-1.0, -0.5, 0.0, 0.5, 1.0]),  # five rising points (four increases)
    ("N3", [-1.0, -0.5, 0.0, 0.0, 0.5, 1.0]),  # a tie breaks the trend
    ("N4", [0.5, -0.5] * 6 + [0.5]),  # thirteen alternating points
    ("N4", [0.5, -0.5] * 6 + [-0.5, 0.5]),  # a tie breaks the alternation
    ("N5", [2.1, 0.0, 2.0]),  # exactly 2 sigma is not beyond
    ("N5", [2.1, 0.0, -2.1]),  # opposite sides
    ("N5", [2.1, 2.5, 0.0]),  # the completing point must be one of the two
    ("N6", [1.1, 1.2, 0.0, 1.0, 1.1]),  # exactly 1 sigma is not beyond
    ("N6", [1.1, 1.2, -1.5, 0.5, 1.1]),  # three beyond on the same side
    ("N7", [0.5, -0.5, 0.9, -0.9, 0.0] * 2 + [0.5, -0.5, 0.9, -1.0, 0.0]),  # 1.0 is not within
    ("N7", [0.5] * 14),
    ("N8", [1.5, -1.5] * 3 + [1.5, 1.0]),  # a point exactly at 1 sigma
    ("N8", [1.5, -1.5] * 3 + [1.5]),  # seven points
    ("WE1", [0.0, 3.0]),
    ("WE2", [-2.2, 0.0, 0.0, -2.1]),
    ("WE3", [-1.5, -1.5, 0.5, 0.5, -1.5]),
    ("WE4", [0.3] * 7),
]


@pytest.mark.parametrize("rule,z", JUST_NOT)
def test_sequence_one_step_short_of_the_pattern_does_not_trigger_the_rule(rule, z):
    assert rules.evaluate(z, [rule]) == []


def test_k_of_m_rules_report_the_window_ending_at_the_completing_point():
    assert rules.evaluate([0.0, -2.2, -2.1, 0.0], ["WE2"]) == [
        {"rule": "WE2", "index": 2, "points": [0, 1, 2]}]
    assert rules.evaluate([0.0, -1.5, -1.5, -1.5, -1.5, 0.5], ["WE3"]) == [
        {"rule": "WE3", "index": 4, "points": [0, 1, 2, 3, 4]}]


def test_a_longer_run_is_reported_at_every_point_that_completes_it():
    hits = rules.evaluate([0.2] * 10, ["N2"])
    assert [(h["index"], h["points"][0]) for h in hits] == [(8, 0), (9, 1)]


def test_rule_three_run_length_is_a_setting_for_plants_that_use_seven_points():
    rising6 = [0.0, 0.1, 0.2, 0.3, 0.4, 0.5]
    assert _last(rising6, "N3", trend=7) == []
    assert len(_last([-0.1] + rising6, "N3", trend=7)) == 1


def test_rule_four_length_and_rule_two_length_are_settings():
    assert _last([0.5, -0.5] * 7 + [0.5], "N4", alternating=15)[0]["points"] == list(range(15))
    assert _last([0.5, -0.5] * 7, "N4", alternating=15) == []
    assert len(_last([0.1] * 8, "N2", run=8)) == 1


def test_rule_eight_can_require_points_on_both_sides():
    assert _last([1.2] * 8, "N8", mixture_both_sides=True) == []
    assert len(_last([1.2] * 7 + [-1.2], "N8", mixture_both_sides=True)) == 1


def test_rule_one_limit_is_a_setting():
    assert len(_last([0.0, 2.6], "N1", limit=2.5)) == 1


def test_evaluate_orders_hits_by_point_then_by_the_order_rules_were_asked_in():
    z = [0.0, 3.5, 2.5, 3.5]
    assert [(h["index"], h["rule"]) for h in rules.evaluate(z, ["N5", "N1"])] == [
        (1, "N1"), (2, "N5"), (3, "N5"), (3, "N1")]


def test_rules_can_be_given_as_comma_separated_text():
    assert rules.evaluate([0.0, 3.5], "N1, WE1") == [
        {"rule": "N1", "index": 1, "points": [1]}, {"rule": "WE1", "index": 1, "points": [1]}]


@pytest.mark.parametrize("call", [
    lambda: rules.evaluate([0.0], ["N9"]),
    lambda: rules.evaluate([0.0], None, {"run_length": 9}),
    lambda: rules.evaluate([0.0], None, {"run": 1}),
    lambda: rules.evaluate([0.0], None, {"trend": 6.5}),
    lambda: rules.hits_at([0.0], 1),
])
def test_unknown_rules_settings_and_points_are_refused(call):
    with pytest.raises(ValueError):
        call()
