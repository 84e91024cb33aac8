"""The gateway's event queue: tag events, gateway tag-change scripts, messages and async calls.

Ignition runs tag event scripts on a small thread pool with a bounded queue of 5 events per tag;
when it is full, new events are dropped and the next event that runs gets `missedEvents=True`.
Gateway tag-change scripts keep an unbounded in-order queue. The harness reproduces these rules
deterministically on one thread: work is queued in arrival order and runs when the caller gives
control back (`drain()`: after each external write or call, after each clock callback). Inside
`hold()` nothing runs, so a test can write many values "at once" and watch the queue overflow.

A script that raises is logged and collected in `errors` (the pytest fixture fails a test that
leaves any), and the queue goes on, as on a gateway.
"""
from __future__ import absolute_import, division, print_function

import collections
import traceback

from .compat import JavaThrowable

__all__ = ["EventDispatcher", "ScriptError", "TAG_EVENT_QUEUE_SIZE"]

TAG_EVENT_QUEUE_SIZE = 5


class ScriptError(object):
    """A script that raised: where it ran (`origin`), the exception and its formatted traceback."""

    __slots__ = ("origin", "exception", "trace")

    def __init__(self, origin, exception, trace):
        self.origin = origin
        self.exception = exception
        self.trace = trace

    def __repr__(self):
        return "ScriptError(%s: %r)" % (self.origin, self.exception)


class EventDispatcher(object):
    """Runs queued work in arrival order; per-tag queues are bounded like the gateway's."""

    def __init__(self, logger=None, tag_queue_size=TAG_EVENT_QUEUE_SIZE):
        self.tag_queue_size = tag_queue_size
        self.errors = []
        self._logger = logger
        self._fifo = collections.deque()
        self._tag_queues = {}
        self._missed = set()
        self._draining = False
        self._held = 0

    def post(self, origin, function, *args):
        """Queue `function(*args)` (a message handler, invokeAsynchronous, a callback)."""
        self._fifo.append((None, origin, function, args))

    def post_tag_event(self, queue_key, origin, function):
        """Queue a tag event; `function(missed_events)` runs it. False when the tag queue is full."""
        queue = self._tag_queues.setdefault(queue_key, collections.deque())
        if len(queue) >= self.tag_queue_size:
            self._missed.add(queue_key)
            return False
        queue.append((origin, function))
        self._fifo.append((queue_key, None, None, None))
        return True

    def pending(self):
        return len(self._fifo)

    def hold(self):
        """Context manager: queue work but run none of it until the block ends."""
        return _Hold(self)

    def drain(self):
        """Run queued work (and the work it queues) until the queue is empty."""
        if self._draining or self._held:
            return
        self._draining = True
        try:
            while self._fifo:
                queue_key, origin, function, args = self._fifo.popleft()
                if queue_key is not None:
                    origin, event = self._tag_queues[queue_key].popleft()
                    missed = queue_key in self._missed
                    self._missed.discard(queue_key)
                    self.run(origin, event, missed)
                else:
                    self.run(origin, function, *args)
        finally:
            self._draining = False

    def run(self, origin, function, *args):
        """Call a script now; an exception is logged and collected, never propagated."""
        try:
            return function(*args)
        except (Exception, JavaThrowable) as error:
            trace = traceback.format_exc()
            self.errors.append(ScriptError(origin, error, trace))
            if self._logger is not None:
                self._logger.error("Error running %s: %s\n%s" % (origin, error, trace))
            return None


class _Hold(object):
    def __init__(self, dispatcher):
        self._dispatcher = dispatcher

    def __enter__(self):
        self._dispatcher._held += 1
        return self._dispatcher

    def __exit__(self, *exc_info):
        self._dispatcher._held -= 1
        if not self._dispatcher._held:
            self._dispatcher.drain()
        return False
