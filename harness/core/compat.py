"""Python 2/3 differences the harness core needs, in one place (the core also runs on Jython 2.7)."""
from __future__ import absolute_import, division, print_function

import sys

__all__ = ["JYTHON", "JavaThrowable", "PY2", "integer_types", "string_types", "text", "text_type"]

PY2 = sys.version_info[0] == 2
JYTHON = sys.platform.startswith("java")

if PY2:  # pragma: no cover - exercised on Jython
    text_type = unicode  # noqa: F821
    string_types = (str, unicode)  # noqa: F821
    integer_types = (int, long)  # noqa: F821
else:
    text_type = str
    string_types = (str,)
    integer_types = (int,)


def text(value):
    """Return `value` as a unicode string; None stays None."""
    if value is None or isinstance(value, text_type):
        return value
    if isinstance(value, bytes):
        return value.decode("utf-8")
    return text_type(value)


if JYTHON:  # pragma: no cover - exercised on Jython
    from java.lang import Throwable as JavaThrowable  # noqa: E402
else:
    class JavaThrowable(Exception):
        """Stands in for java.lang.Throwable on CPython, where no Java exception exists."""
