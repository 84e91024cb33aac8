"""Writes coerce values to the tag's data type like Ignition, and report failures as qualities."""
import datetime

import pytest

from harness.core.datatypes import CoercionFailed, coerce


@pytest.mark.parametrize("value, data_type, expected", [
    (12, "Int1", 12), (-128, "Int1", -128), (127, "Int1", 127),
    (2.5, "Int4", 3), (-2.5, "Int4", -3), (2.4, "Int4", 2), ("33.9", "Int4", 34),
    (True, "Int2", 1), (2 ** 63 - 1, "Int8", 2 ** 63 - 1),
    ("1.5", "Float8", 1.5), (7, "Float8", 7.0), (1.1, "Float4", 1.100000023841858),
    ("true", "Boolean", True), ("OFF", "Boolean", False), (0, "Boolean", False), (3, "Boolean", True),
    (42, "String", "42"), (True, "String", "true"),
    ("2026-01-05 06:30:00", "DateTime", datetime.datetime(2026, 1, 5, 6, 30)),
    (0, "DateTime", datetime.datetime(1970, 1, 1)),
    (None, "Int4", None),
])
def test_values_are_coerced_to_the_tag_data_type(value, data_type, expected):
    result = coerce(value, data_type)
    assert result == expected and type(result) is type(expected)


@pytest.mark.parametrize("value, data_type, quality", [
    (128, "Int1", "Bad_OutOfRange"), (-129, "Int1", "Bad_OutOfRange"),
    (2 ** 31, "Int4", "Bad_OutOfRange"), (2 ** 63, "Int8", "Bad_OutOfRange"),
    ("abc", "Int4", "Error_TypeConversion"), ("maybe", "Boolean", "Error_TypeConversion"),
    (float("nan"), "Int4", "Error_TypeConversion"), ("noon", "DateTime", "Error_TypeConversion"),
    ([1, 2], "Float8", "Error_TypeConversion"), (b"\x80", "String", "Error_TypeConversion"),
])
def test_values_that_cannot_be_coerced_fail_with_a_quality(value, data_type, quality):
    with pytest.raises(CoercionFailed) as failure:
        coerce(value, data_type)
    assert failure.value.quality.getName() == quality
    assert repr(value)[:10] in failure.value.quality.getDiagnosticMessage()


def test_a_dataset_tag_takes_the_json_form_of_real_exports():
    value = coerce('{"columns":[{"name":"lot","type":"java.lang.String"},{"name":"qty","type":"java.lang.Integer"}],'
                   '"rows":[["L1",5],["L2",7]]}', "DataSet")
    assert list(value.getColumnNames()) == ["lot", "qty"]
    assert [value.getValueAt(r, "qty") for r in range(value.getRowCount())] == [5, 7]
