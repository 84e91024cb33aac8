"""Python 2/3 differences the mes library needs, in one place (Jython 2.7 on the gateway, CPython in CI)."""
from __future__ import absolute_import, division, print_function

import sys

__all__ = ["PY2", "integer_types", "string_types", "text", "text_type"]

PY2 = sys.version_info[0] == 2

if PY2:  # pragma: no cover - exercised on Jython
    text_type = unicode  # noqa: F821
    string_types = (str, unicode)  # noqa: F821
    integer_types = (int, long)  # noqa: F821
else:
    text_type = str
    string_types = (str,)
    integer_types = (int,)


def text(value):
    """Return `value` as a unicode string (JDBC hands Jython `unicode`, literals are `str`)."""
    if value is None:
        return None
    if isinstance(value, text_type):
        return value
    if isinstance(value, bytes):
        return value.decode("utf-8")
    return text_type(value)
