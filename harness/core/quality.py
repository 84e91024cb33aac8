"""Ignition's QualityCode: level + sub-code packed in one int, with the gateway's names.

The integer layout follows Ignition 8: code = signed32((level << 30) | sub), levels Good=0,
Uncertain=1, Bad=2, Error=3. Names are the ones the gateway prints (`Bad_NotFound`, ...).
"""
from __future__ import absolute_import, division, print_function

from .compat import integer_types

__all__ = ["QualityCode"]

GOOD, UNCERTAIN, BAD, ERROR = 0, 1, 2, 3
_LEVEL_NAMES = {GOOD: "Good", UNCERTAIN: "Uncertain", BAD: "Bad", ERROR: "Error"}

_SUB_CODES = [
    (GOOD, "Good_Unspecified", 0), (GOOD, "Good_WritePending", 2), (GOOD, "Good", 192),
    (GOOD, "Good_Provisional", 200), (GOOD, "Good_Initial", 201), (GOOD, "Good_Overload", 202),
    (GOOD, "Good_Backfill", 203),
    (UNCERTAIN, "Uncertain", 256), (UNCERTAIN, "Uncertain_LastKnownValue", 257),
    (UNCERTAIN, "Uncertain_InitialValue", 258), (UNCERTAIN, "Uncertain_DataSubNormal", 259),
    (UNCERTAIN, "Uncertain_EngineeringUnitsExceeded", 260),
    (UNCERTAIN, "Uncertain_IncompleteOperation", 261),
    (BAD, "Bad", 512), (BAD, "Bad_Unauthorized", 513), (BAD, "Bad_AccessDenied", 514),
    (BAD, "Bad_Disabled", 515), (BAD, "Bad_Stale", 516), (BAD, "Bad_TrialExpired", 517),
    (BAD, "Bad_LicenseExceeded", 518), (BAD, "Bad_NotFound", 519),
    (BAD, "Bad_ReferenceNotFound", 520), (BAD, "Bad_AggregateNotFound", 521),
    (BAD, "Bad_NotConnected", 522), (BAD, "Bad_GatewayCommOff", 523), (BAD, "Bad_OutOfRange", 524),
    (BAD, "Bad_DatabaseNotConnected", 525), (BAD, "Bad_ReadOnly", 526), (BAD, "Bad_Failure", 527),
    (BAD, "Bad_Unsupported", 528),
    (ERROR, "Error", 768), (ERROR, "Error_Configuration", 769), (ERROR, "Error_ExpressionEval", 770),
    (ERROR, "Error_TagExecution", 771), (ERROR, "Error_TypeConversion", 772),
    (ERROR, "Error_DatabaseQuery", 773), (ERROR, "Error_IO", 774),
    (ERROR, "Error_TimeoutExpired", 775), (ERROR, "Error_Exception", 776),
    (ERROR, "Error_InvalidPathSyntax", 777), (ERROR, "Error_Formatting", 778),
    (ERROR, "Error_ScriptEval", 779), (ERROR, "Error_CycleDetected", 780),
]


def _signed32(value):
    value &= 0xFFFFFFFF
    return value - 0x100000000 if value & 0x80000000 else value


class QualityCode(object):
    """An immutable quality: `isGood()`, `getName()`, `getCode()`, an optional diagnostic message."""

    __slots__ = ("_level", "_name", "_sub", "_message")

    def __init__(self, level, name, sub, message=None):
        self._level = level
        self._name = name
        self._sub = sub
        self._message = message

    # -- Ignition's accessors ---------------------------------------------------------------
    def getCode(self):
        return _signed32((self._level << 30) | self._sub)

    def getName(self):
        return self._name

    def getLevel(self):
        return _LEVEL_NAMES[self._level]

    def getDiagnosticMessage(self):
        return self._message

    def derive(self, message):
        """The same code with a diagnostic message attached (like QualityCode.derive)."""
        return QualityCode(self._level, self._name, self._sub, message)

    def isGood(self):
        return self._level == GOOD

    def isUncertain(self):
        return self._level == UNCERTAIN

    def isBad(self):
        return self._level == BAD

    def isError(self):
        return self._level == ERROR

    def isBadOrError(self):
        return self._level >= BAD

    def isNotGood(self):
        return self._level != GOOD

    def isCode(self, code):
        """True when `code` (a QualityCode, an int code or a name) is this quality."""
        if isinstance(code, QualityCode):
            return code.getCode() == self.getCode()
        if isinstance(code, integer_types):
            return code == self.getCode()
        return code == self._name

    @staticmethod
    def getCodeName(code):
        return QualityCode.fromCode(code).getName()

    @staticmethod
    def fromCode(code):
        """The QualityCode for an int code (unknown sub-codes keep their level's plain name)."""
        unsigned = code & 0xFFFFFFFF
        level, sub = unsigned >> 30, unsigned & 0x3FFFFFFF
        for known in _BY_NAME.values():
            if known._level == level and known._sub == sub:
                return known
        return QualityCode(level, _LEVEL_NAMES[level], sub)

    @staticmethod
    def byName(name):
        """The QualityCode called `name` (e.g. "Bad_Stale"); KeyError names the unknown one."""
        try:
            return _BY_NAME[name]
        except KeyError:
            raise KeyError("unknown quality code name %r" % (name,))

    # -- Python protocol --------------------------------------------------------------------
    def __eq__(self, other):
        return isinstance(other, QualityCode) and other.getCode() == self.getCode()

    def __ne__(self, other):
        return not self.__eq__(other)

    def __hash__(self):
        return hash(self.getCode())

    def __str__(self):
        if self._message:
            return "%s(\"%s\")" % (self._name, self._message)
        return self._name

    def __repr__(self):
        return "QualityCode(%s)" % (self,)

    @property
    def name(self):
        return self._name

    @property
    def code(self):
        return self.getCode()


_BY_NAME = {}
for _level, _name, _sub in _SUB_CODES:
    _code = QualityCode(_level, _name, _sub)
    _BY_NAME[_name] = _code
    setattr(QualityCode, _name, _code)
del _level, _name, _sub, _code
