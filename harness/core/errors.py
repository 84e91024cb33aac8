"""The harness error tree: one root, leaves named for what went wrong."""
from __future__ import absolute_import, division, print_function

__all__ = ["HarnessError", "MalformedTagExport", "NotEmulated", "ProjectLoadError",
           "TagConfigurationError", "UnknownTagPath"]


class HarnessError(Exception):
    """Root of every error the harness raises on purpose."""


class NotEmulated(HarnessError, AttributeError):
    """A `system` function or area the harness does not emulate was called.

    It is an AttributeError too, so `hasattr(system.x, "y")` answers False like on a gateway
    that lacks a module, while a call fails loudly instead of being silently mocked.
    """


class MalformedTagExport(HarnessError):
    """A tag JSON export is not valid; the message names the file and the JSON path of the node."""

    def __init__(self, source, json_path, problem):
        HarnessError.__init__(self, "%s: %s: %s" % (source, json_path, problem))
        self.source = source
        self.json_path = json_path
        self.problem = problem


class TagConfigurationError(HarnessError):
    """The tag model is inconsistent (unknown UDT type, a cycle of UDT inheritance, ...)."""


class UnknownTagPath(HarnessError):
    """A tag path that must exist does not (reads answer Bad_NotFound instead of raising)."""


class ProjectLoadError(HarnessError):
    """A project resource (script module, event, config) cannot be loaded."""
