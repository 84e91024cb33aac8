"""QualifiedValue: a value with its quality and timestamp, as tag reads and events deliver it."""
from __future__ import absolute_import, division, print_function

from .quality import QualityCode

__all__ = ["QualifiedValue"]


class QualifiedValue(object):
    """Ignition's BasicQualifiedValue: `.value`, `.quality`, `.timestamp` and the Java getters."""

    __slots__ = ("value", "quality", "timestamp")

    def __init__(self, value=None, quality=None, timestamp=None):
        self.value = value
        self.quality = QualityCode.Good if quality is None else quality
        self.timestamp = timestamp

    def getValue(self):
        return self.value

    def getQuality(self):
        return self.quality

    def getTimestamp(self):
        return self.timestamp

    def derive(self, quality):
        """The same value and timestamp with another quality."""
        return QualifiedValue(self.value, quality, self.timestamp)

    def __eq__(self, other):
        return (isinstance(other, QualifiedValue) and self.value == other.value
                and self.quality == other.quality and self.timestamp == other.timestamp)

    def __ne__(self, other):
        return not self.__eq__(other)

    __hash__ = None

    def __repr__(self):
        return "[%r, %s, %s]" % (self.value, self.quality, self.timestamp)
