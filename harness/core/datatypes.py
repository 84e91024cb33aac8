"""Tag data types and the coercion a tag write applies, like Ignition's.

A write that cannot be coerced is not an exception: `coerce` raises `CoercionFailed` carrying the
QualityCode the write returns (Error_TypeConversion for a value of the wrong kind, Bad_OutOfRange
for an integer outside the type's range). Decisions, documented once:
- floats written to integer tags round half away from zero (Java's Math.round rounds half up;
  the two differ only for negative halves, where Ignition's toInt also rounds away from zero);
- Float4 values are narrowed to 32-bit precision (1.1 reads back as 1.100000023841858);
- Boolean accepts bools, numbers (non-zero is true) and the strings true/false/1/0/on/off;
- None is a valid value of every type (a null tag value).
"""
from __future__ import absolute_import, division, print_function

import datetime
import json
import math
import struct

from .compat import integer_types, string_types, text_type
from .quality import QualityCode
from .timeutil import parse_timestamp

__all__ = ["DATA_TYPES", "CoercionFailed", "coerce", "default_value"]

_INT_RANGES = {
    "Int1": (-2 ** 7, 2 ** 7 - 1),
    "Int2": (-2 ** 15, 2 ** 15 - 1),
    "Int4": (-2 ** 31, 2 ** 31 - 1),
    "Int8": (-2 ** 63, 2 ** 63 - 1),
}
_FLOATS = ("Float4", "Float8")
DATA_TYPES = tuple(sorted(list(_INT_RANGES) + list(_FLOATS) +
                          ["Boolean", "String", "Text", "DateTime", "DataSet", "Document"]))
_TRUE = ("true", "1", "on", "yes")
_FALSE = ("false", "0", "off", "no")


class CoercionFailed(Exception):
    """A value cannot become the tag's data type; `quality` is what the write returns."""

    def __init__(self, quality, message):
        Exception.__init__(self, message)
        self.quality = quality.derive(message)


def default_value(data_type):
    """The value a new tag of `data_type` has before anything is written to it."""
    if data_type in _INT_RANGES:
        return 0
    if data_type in _FLOATS:
        return 0.0
    if data_type == "Boolean":
        return False
    if data_type in ("String", "Text"):
        return u""
    return None


def _conversion_error(value, data_type):
    return CoercionFailed(QualityCode.Error_TypeConversion,
                          "cannot convert %r to %s" % (value, data_type))


def _round_half_away(number):
    return int(math.floor(abs(number) + 0.5)) * (1 if number >= 0 else -1)


def _to_integer(value, data_type):
    if isinstance(value, bool):
        number = int(value)
    elif isinstance(value, integer_types):
        number = value
    elif isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            raise _conversion_error(value, data_type)
        number = _round_half_away(value)
    elif isinstance(value, string_types):
        try:
            number = _round_half_away(float(value.strip()))
        except ValueError:
            raise _conversion_error(value, data_type)
    else:
        raise _conversion_error(value, data_type)
    low, high = _INT_RANGES[data_type]
    if not low <= number <= high:
        raise CoercionFailed(QualityCode.Bad_OutOfRange,
                             "%r is outside the range of %s (%d..%d)" % (value, data_type, low, high))
    return int(number)


def _to_float(value, data_type):
    if isinstance(value, (bool, float) + integer_types):
        number = float(value)
    elif isinstance(value, string_types):
        try:
            number = float(value.strip())
        except ValueError:
            raise _conversion_error(value, data_type)
    else:
        raise _conversion_error(value, data_type)
    if data_type == "Float4" and not (math.isnan(number) or math.isinf(number)):
        try:
            number = struct.unpack("f", struct.pack("f", number))[0]
        except (OverflowError, struct.error):
            raise CoercionFailed(QualityCode.Bad_OutOfRange, "%r is outside the range of Float4" % (value,))
    return number


def _to_boolean(value):
    if isinstance(value, bool):
        return value
    if isinstance(value, integer_types + (float,)):
        return value != 0
    if isinstance(value, string_types):
        lowered = value.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
    raise _conversion_error(value, "Boolean")


def _to_string(value):
    if isinstance(value, text_type):
        return value
    if isinstance(value, bytes):
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError:
            raise _conversion_error(value, "String")
    if isinstance(value, bool):
        return u"true" if value else u"false"
    if isinstance(value, datetime.datetime):
        return text_type(value.strftime("%Y-%m-%d %H:%M:%S"))
    return text_type(value)


def _to_dataset(value):
    if hasattr(value, "getColumnNames") or hasattr(value, "getColumnCount"):
        return value
    if isinstance(value, string_types):
        try:
            value = json.loads(value)
        except ValueError:
            raise _conversion_error(value, "DataSet")
    if isinstance(value, dict) and "columns" in value and "rows" in value:
        from . import dataset
        return dataset.dataset_from_json(value)
    raise _conversion_error(value, "DataSet")


def coerce(value, data_type):
    """`value` converted to `data_type` as a tag write would; raises CoercionFailed."""
    if value is None:
        return None
    if data_type in _INT_RANGES:
        return _to_integer(value, data_type)
    if data_type in _FLOATS:
        return _to_float(value, data_type)
    if data_type == "Boolean":
        return _to_boolean(value)
    if data_type in ("String", "Text"):
        return _to_string(value)
    if data_type == "DateTime":
        try:
            return parse_timestamp(value)
        except ValueError:
            raise _conversion_error(value, data_type)
    if data_type == "DataSet":
        return _to_dataset(value)
    if data_type == "Document":
        return value
    raise CoercionFailed(QualityCode.Error_Configuration, "unknown data type %r" % (data_type,))
