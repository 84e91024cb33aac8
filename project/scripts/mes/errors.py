"""The error tree of the mes library: one root, leaves named for the failure, one-sentence messages.

Every rejection a person, a machine or the ERP can cause raises a subclass of `MesError` whose
message names the bad value and, where known, the fix. Callers (views, events, the ERP entry points)
catch `MesError` to show or store the reason; anything else is a defect.
"""
from __future__ import absolute_import, division, print_function

__all__ = ["ConfigurationError", "InvalidInput", "MesError", "NotFound", "PermissionDenied",
           "StateConflict"]


class MesError(Exception):
    """Root of every error the mes library raises on purpose."""

    #: A short, stable machine-readable code (shown to operators, stored with rejected messages).
    code = "mes_error"

    def __init__(self, message, **details):
        Exception.__init__(self, message)
        self.message = message
        self.details = details

    def to_dict(self):
        """A JSON-ready description: code, message and the details given when raised."""
        result = {"code": self.code, "message": self.message}
        result.update(self.details)
        return result


class InvalidInput(MesError):
    """A value given by a person, a machine or the ERP is malformed or out of range."""
    code = "invalid_input"


class NotFound(MesError):
    """An id (work order, lot, serial, operation, item, station...) does not exist."""
    code = "not_found"


class StateConflict(MesError):
    """The action is not allowed in the current state (lot on hold, op out of order, ...)."""
    code = "state_conflict"


class PermissionDenied(MesError):
    """The user is not signed in, lacks the role, or the electronic signature failed."""
    code = "permission_denied"


class ConfigurationError(MesError):
    """The plant configuration is missing or inconsistent (rate 0, unknown state table, ...)."""
    code = "configuration_error"
