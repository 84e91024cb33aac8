"""Gateway clocks: a deterministic virtual clock for replays and tests, and the wall clock.

Both keep a schedule of timed callbacks (timer scripts, invokeLater, retries). `advance(seconds)`
runs every callback due within the span in time order (ties in the order they were scheduled),
setting `now()` to each callback's due time; after each callback the gateway's pending events run.
The virtual clock jumps; the wall clock sleeps until each due time.
"""
from __future__ import absolute_import, division, print_function

import datetime
import heapq
import itertools
import time as _time

from .timeutil import parse_timestamp

__all__ = ["DEFAULT_START", "VirtualClock", "WallClock", "make_clock"]

DEFAULT_START = datetime.datetime(2026, 1, 5, 6, 0, 0)


class Scheduled(object):
    """A handle to a scheduled callback; `cancel()` stops it from running."""

    __slots__ = ("due", "callback", "cancelled")

    def __init__(self, due, callback):
        self.due = due
        self.callback = callback
        self.cancelled = False

    def cancel(self):
        self.cancelled = True


class _Clock(object):
    def __init__(self):
        self._queue = []
        self._order = itertools.count()
        self.on_idle = None  # called after each callback: the gateway runs its pending events

    def call_at(self, due, callback):
        """Run `callback()` at `due` (a datetime); returns a handle with cancel()."""
        handle = Scheduled(due, callback)
        heapq.heappush(self._queue, (due, next(self._order), handle))
        return handle

    def call_later(self, seconds, callback):
        return self.call_at(self.now() + datetime.timedelta(seconds=seconds), callback)

    def next_due(self):
        while self._queue and self._queue[0][2].cancelled:
            heapq.heappop(self._queue)
        return self._queue[0][0] if self._queue else None

    def _run_due(self, until):
        while True:
            due = self.next_due()
            if due is None or due > until:
                return
            _, _, handle = heapq.heappop(self._queue)
            self._arrive(due)
            handle.callback()
            self._idle()

    def _idle(self):
        if self.on_idle is not None:
            self.on_idle()

    def advance(self, seconds):
        """Let `seconds` pass, running everything that falls due, in time order."""
        if seconds < 0:
            raise ValueError("a clock cannot go back (advance(%r))" % (seconds,))
        until = self.now() + datetime.timedelta(seconds=seconds)
        self._run_due(until)
        self._arrive(until)
        self._idle()

    def advance_to(self, moment):
        """Let time pass until `moment` (a datetime or ISO string)."""
        moment = parse_timestamp(moment)
        self.advance(max(0.0, _seconds(moment - self.now())))


def _seconds(delta):
    return delta.days * 86400 + delta.seconds + delta.microseconds / 1e6


class VirtualClock(_Clock):
    """Deterministic time that moves only when told to; starts at `start` (default 2026-01-05 06:00)."""

    virtual = True

    def __init__(self, start=None):
        _Clock.__init__(self)
        self._now = parse_timestamp(start) if start is not None else DEFAULT_START

    def now(self):
        return self._now

    def _arrive(self, moment):
        if moment > self._now:
            self._now = moment


class WallClock(_Clock):
    """Real UTC time; `advance` sleeps, running scheduled callbacks at their due times."""

    virtual = False

    def now(self):
        return datetime.datetime.utcnow()

    def _arrive(self, moment):
        remaining = _seconds(moment - self.now())
        if remaining > 0:
            _time.sleep(remaining)


def make_clock(kind="virtual", start=None):
    """A clock by name: "virtual" (optionally starting at `start`) or "wall"."""
    if kind == "virtual":
        return VirtualClock(start)
    if kind == "wall":
        return WallClock()
    raise ValueError("unknown clock %r (expected 'virtual' or 'wall')" % (kind,))
