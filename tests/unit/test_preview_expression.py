"""The expression subset of the view preview: what it evaluates, and what it refuses to guess."""
import pytest

from harness.preview.expression import ExpressionError, evaluate, references

VALUES = {"view.params.station": "PRESS-1", "view.custom.count": 7, "this.props.value": 0.8125,
          "view.custom.none": None, "view.custom.flag": True}


def ev(text):
    return evaluate(text, VALUES.__getitem__)


def test_references_are_read_from_braces_in_order():
    assert references("{a.b} + {c}") == ["a.b", "c"]


def test_string_concatenation_with_a_reference_and_a_number():
    assert ev("'Station ' + {view.params.station} + ' / ' + {view.custom.count}") == "Station PRESS-1 / 7"


def test_arithmetic_follows_precedence_and_divides_exactly():
    assert ev("1 + 2 * 3") == 7
    assert ev("(1 + 2) * 3") == 9
    assert ev("7 / 2") == 3.5
    assert ev("-{view.custom.count} % 4") == 1


def test_comparisons_and_logic():
    assert ev("{view.custom.count} >= 7 && {view.params.station} = 'PRESS-1'") is True
    assert ev("{view.custom.count} != 7 || !{view.custom.flag}") is False
    assert ev("{view.custom.count} <> 8") is True


def test_if_chooses_a_branch():
    assert ev("if({view.custom.count} > 5, 'many', 'few')") == "many"
    assert ev("if(isNull({view.custom.none}), '-', 'set')") == "-"


def test_number_format_with_a_percent_pattern():
    assert ev("numberFormat({this.props.value}, '0.0%')") == "81.2%"
    assert ev("numberFormat(1234.5, '#,##0.00')") == "1,234.50"


def test_coalesce_upper_and_conversions():
    assert ev("upper(coalesce({view.custom.none}, 'idle'))") == "IDLE"
    assert ev("toInt('33.9')") == 34
    assert ev("toStr(2.0)") == "2.0"


def test_an_unknown_function_is_an_error_not_a_value():
    with pytest.raises(ExpressionError, match=r"does not implement the expression function dateFormat\(\)"):
        ev("dateFormat(now(), 'HH:mm')")


def test_a_type_error_names_the_operands():
    with pytest.raises(ExpressionError, match=r"'PRESS-1' - 1"):
        ev("{view.params.station} - 1")


def test_unreadable_text_is_an_error():
    with pytest.raises(ExpressionError, match="cannot read the expression"):
        ev("1 + $x")
    with pytest.raises(ExpressionError):
        ev("(1 + 2")
