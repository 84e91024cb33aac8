"""A `system` area (system.tag, system.date, ...) that refuses loudly what it does not emulate."""
from __future__ import absolute_import, division, print_function

from ..errors import NotEmulated

__all__ = ["Namespace"]


class Namespace(object):
    """Attributes are the emulated functions; any other name raises NotEmulated naming it."""

    def __init__(self, dotted, members=None):
        self.__dict__["_dotted"] = dotted
        for name, value in (members or {}).items():
            self.__dict__[name] = value

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        emulated = sorted(k for k in self.__dict__ if not k.startswith("_"))
        raise NotEmulated("%s.%s is not emulated by the Genba harness (emulated here: %s)"
                          % (self._dotted, name, ", ".join(emulated) or "nothing"))

    def __setattr__(self, name, value):
        self.__dict__[name] = value

    def __dir__(self):
        return sorted(k for k in self.__dict__ if not k.startswith("_"))

    def __repr__(self):
        return "<%s>" % self._dotted
