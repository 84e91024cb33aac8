"""The gateway log: what `system.util.getLogger` loggers write, kept in order and sent to `logging`."""
from __future__ import absolute_import, division, print_function

import logging

__all__ = ["GatewayLog", "GatewayLogger", "LogRecord"]

_LEVELS = {"trace": 5, "debug": logging.DEBUG, "info": logging.INFO, "warn": logging.WARNING,
           "error": logging.ERROR}


class LogRecord(object):
    __slots__ = ("timestamp", "level", "logger", "message")

    def __init__(self, timestamp, level, logger, message):
        self.timestamp = timestamp
        self.level = level
        self.logger = logger
        self.message = message

    def __repr__(self):
        return "%s %s [%s] %s" % (self.timestamp, self.level.upper(), self.logger, self.message)


class GatewayLog(object):
    """Every record logged on the gateway, with the gateway clock's timestamps."""

    def __init__(self, clock, limit=100000):
        self.clock = clock
        self.records = []
        self.limit = limit

    def write(self, level, logger, message):
        if len(self.records) >= self.limit:
            del self.records[:self.limit // 10]
        self.records.append(LogRecord(self.clock.now(), level, logger, message))
        logging.getLogger("gateway." + logger).log(_LEVELS[level], message)

    def getLogger(self, name):
        return GatewayLogger(self, name)

    def messages(self, level=None, logger=None):
        """The messages logged, optionally only those of one level and/or logger."""
        return [r.message for r in self.records
                if (level is None or r.level == level) and (logger is None or r.logger == logger)]


def _java_format(pattern, args):
    """Java's String.format for the common conversions (%s, %d, %f, %.2f ...) via Python's %."""
    return pattern % tuple(args) if args else pattern


class GatewayLogger(object):
    """A logger of `system.util.getLogger(name)`: trace...error, and the *f formatting variants."""

    def __init__(self, log, name):
        self._log = log
        self.name = name

    def _write(self, level, message, throwable=None):
        text = u"%s" % (message,)
        if throwable is not None:
            text += u" (%r)" % (throwable,)
        self._log.write(level, self.name, text)

    def trace(self, message, throwable=None):
        self._write("trace", message, throwable)

    def debug(self, message, throwable=None):
        self._write("debug", message, throwable)

    def info(self, message, throwable=None):
        self._write("info", message, throwable)

    def warn(self, message, throwable=None):
        self._write("warn", message, throwable)

    def error(self, message, throwable=None):
        self._write("error", message, throwable)

    def tracef(self, pattern, *args):
        self._write("trace", _java_format(pattern, args))

    def debugf(self, pattern, *args):
        self._write("debug", _java_format(pattern, args))

    def infof(self, pattern, *args):
        self._write("info", _java_format(pattern, args))

    def warnf(self, pattern, *args):
        self._write("warn", _java_format(pattern, args))

    def errorf(self, pattern, *args):
        self._write("error", _java_format(pattern, args))

    def isTraceEnabled(self):
        return True

    def isDebugEnabled(self):
        return True

    def isInfoEnabled(self):
        return True

    def getName(self):
        return self.name
