"""mes.barcode: GS1-128 / GS1 DataMatrix element strings, the parenthesised form and plain lot labels."""
from __future__ import annotations

import datetime

import pytest

from material_library import load_mes

mes = load_mes()
TODAY = datetime.date(2026, 1, 5)
GS = "\x1d"


def parse(text, today=TODAY):
    return mes.barcode.parse(text, today)


def test_gs1_datamatrix_with_symbology_identifier_and_group_separators_gives_every_field():
    scan = parse("]d2" + "0109501101530003" + "17261231" + "10LOT-7" + GS + "21SN0001" + GS + "3012")
    assert scan == {"kind": "gs1", "gtin": "09501101530003", "lot": "LOT-7", "expiry": "2026-12-31",
                    "serial": "SN0001", "count": 12,
                    "ais": {"01": "09501101530003", "17": "261231", "10": "LOT-7", "21": "SN0001", "30": "12"}}


def test_gs1_128_with_c1_identifier_reads_a_lot_ending_the_string():
    scan = parse("]C10109501101530003" + "10ABC123")
    assert (scan["gtin"], scan["lot"], scan["expiry"]) == ("09501101530003", "ABC123", None)


def test_parenthesised_human_readable_form_reads_the_same_fields():
    scan = parse("(01)09501101530003(17)260131(10)AB12(37)40")
    assert (scan["gtin"], scan["expiry"], scan["lot"], scan["count"]) == ("09501101530003", "2026-01-31", "AB12", 40)


def test_raw_element_string_without_identifier_is_gs1_when_it_starts_with_a_valid_gtin():
    assert parse("010950110153000310L1")["lot"] == "L1"


def test_leading_group_separator_as_fnc1_is_ignored():
    assert parse(GS + "010950110153000310L1")["lot"] == "L1"


@pytest.mark.parametrize("text", ["L-2026-001", "0109501101530004", "LOT1", "A" * 20])
def test_anything_else_of_gs1_characters_is_a_plain_lot_label(text):
    assert parse(text) == {"kind": "lot", "gtin": None, "lot": text, "expiry": None, "serial": None,
                           "count": None, "ais": {}}


@pytest.mark.parametrize("yymmdd, expected", [
    ("260100", "2026-01-31"),   # day 00 = last day of the month
    ("240200", "2024-02-29"),   # leap year
    ("250200", "2025-02-28"),
    ("261215", "2026-12-15"),
    ("751231", "2075-12-31"),   # 49 years ahead: this century
    ("770101", "1977-01-01"),   # 51 years ahead: previous century
])
def test_expiry_date_follows_day_00_rule_and_the_gs1_century_window(yymmdd, expected):
    assert parse("(01)09501101530003(17)" + yymmdd + "(10)X")["expiry"] == expected


def test_two_digit_year_fifty_years_behind_falls_in_the_next_century():
    assert mes.barcode.expiry_date("490101", datetime.date(2099, 6, 1)) == datetime.date(2149, 1, 1)
    assert mes.barcode.expiry_date("500101", datetime.date(2099, 6, 1)) == datetime.date(2050, 1, 1)


@pytest.mark.parametrize("digits, check", [("0950110153000", 3), ("0000000000000", 0), ("0001234560001", 2)])
def test_gtin_check_digit_is_mod_10_with_weights_3_1_from_the_right(digits, check):
    assert mes.barcode.check_digit(digits) == check


def errors_of(text):
    with pytest.raises(mes.errors.MesError) as caught:
        parse(text)
    return type(caught.value).__name__, caught.value.message, caught.value.details


def test_wrong_gtin_check_digit_names_expected_and_got():
    name, message, details = errors_of("(01)09501101530004(10)L1")
    assert name == "MalformedBarcode"
    assert message == "GTIN '09501101530004' has check digit 4, expected 3."
    assert details == {"expected": "3", "got": "4"}


def test_unknown_application_identifier_is_refused_naming_it():
    name, message, details = errors_of("]d20109501101530003" + "99XYZ")
    assert name == "UnknownApplicationIdentifier"
    assert details["got"] == "99"
    assert message.startswith("Barcode has unknown AI '99' at position 16; expected one of 00, 01,")


@pytest.mark.parametrize("text, expected, got", [
    ("(01)09501101530003(17)261301(10)L", "01-12", "13"),
    ("(01)09501101530003(17)260230(10)L", "00-28", "30"),
    ("(01)09501101530003(17)2601(10)L", 6, 4),
    ("(01)09501101530003(10)" + "L" * 21, 20, 21),
    ("(01)09501101530003(10)L#1", "GS1 character set 82", "#"),
    ("(01)09501101530003(30)12A(10)L", "digits", "A"),
    ("(01)09501101530003", "AI 10 or AI 21", ["01"]),
    ("(01)09501101530003(10)L(10)M", "each AI once", "10"),
])
def test_malformed_element_strings_name_expected_and_got(text, expected, got):
    name, _, details = errors_of(text)
    assert name == "MalformedBarcode"
    assert (details["expected"], details["got"]) == (expected, got)


@pytest.mark.parametrize("text", ["", "   ", "LOT 1", "L" * 21, "LÖT"])
def test_plain_labels_outside_the_character_set_or_length_are_malformed(text):
    name, _, details = errors_of(text)
    assert name == "MalformedBarcode"
    assert details["expected"] in ("GS1 element string or lot number", "a barcode")
