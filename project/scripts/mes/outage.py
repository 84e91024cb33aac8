"""Database outages in gateway events: skip the work with a warning, raise anything else.

Timers and tag-change events run whatever the database's state. When it is down, the work of that
run is skipped with a warning naming what was skipped; the next run catches up (counters count
from their last stored reading, the outbox and the drop folder are read again). Errors that are not
database failures are raised as usual, so defects still show.
"""
from __future__ import absolute_import, division, print_function

try:  # Jython: JDBC and gateway errors are Java exceptions, which `except Exception` misses
    from java.lang import Throwable as _JavaError
except ImportError:  # CPython
    _JavaError = Exception

__all__ = ["ANY_ERROR", "DATABASE_ERRORS", "is_database_error", "skip_when_unreachable"]

#: What an `except` needs to see database failures on both hosts (then filter with is_database_error).
ANY_ERROR = (Exception, _JavaError)

#: Exception class names of database failures (the harness, DB-API drivers, Ignition).
DATABASE_ERRORS = ("DatabaseError", "OperationalError", "InterfaceError", "GatewayException",
                   "SQLException")


def is_database_error(error):
    """True for a database failure (a Java exception on Jython, a DATABASE_ERRORS class otherwise)."""
    java = _JavaError is not Exception and isinstance(error, _JavaError)
    return java or type(error).__name__ in DATABASE_ERRORS


def skip_when_unreachable(logger_name, what, work):
    """Run work(); a database failure is logged on `logger_name` and returns None."""
    try:
        return work()
    except ANY_ERROR as error:
        if not is_database_error(error):
            raise
        system.util.getLogger(logger_name).warn(  # noqa: F821
            "%s skipped, the database is not reachable: %s" % (what, error))
        return None
