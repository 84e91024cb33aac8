"""Direct mode: the plant stepped by the gateway's clock, values pushed into a tag sink, no sockets.

Python 2.7/3 common subset (runs in-process under Jython too). The sink is duck-typed: anything
with `update(tag_path, value, quality, timestamp)` — the harness `gw.tags`. Quality is passed as
None (the sink's Good). The clock is duck-typed too: `now()` and `call_later(seconds, callback)`
(the harness virtual clock), so plant steps interleave with timer scripts in time order.

Writes from the gateway reach the machines through `read`: a callable(tag_path) -> value used once
per tick on the writable members; a value that differs from the last one pushed is applied to the
machine as a device write.
"""
from __future__ import absolute_import, division, print_function

__all__ = ["DirectDriver"]


class DirectDriver(object):
    """Steps `plant` every `period` seconds of `clock` and pushes changed values into `sink`.

    Args:
        plant: a `simulator.plant.Plant`.
        sink: object with `update(tag_path, value, quality, timestamp)`.
        clock: object with `now()` and `call_later(seconds, callback)`; None for manual `tick()`.
        period: seconds of plant time per tick.
        read: optional callable(tag_path) -> current value, for writes from the gateway.
    """

    def __init__(self, plant, sink, clock=None, period=1.0, read=None):
        if period <= 0:
            raise ValueError("direct driver period must be positive, got %r" % (period,))
        self.plant = plant
        self.sink = sink
        self.clock = clock
        self.period = float(period)
        self.read = read
        self.pushed = {}
        self.updates = 0
        self._handle = None
        self._members = plant.members()

    def start(self):
        """Push every value once, then tick every `period` seconds of the clock until `stop()`."""
        self.push()
        self._schedule()
        return self

    def stop(self):
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None

    def _schedule(self):
        self._handle = self.clock.call_later(self.period, self._on_timer)

    def _on_timer(self):
        self.tick()
        self._schedule()

    def tick(self, dt=None):
        """Apply gateway writes, step the plant by `dt` (default: period), push what changed."""
        self.apply_writes()
        self.plant.step(self.period if dt is None else dt)
        return self.push()

    def apply_writes(self):
        if self.read is None:
            return
        for model, member in self._members:
            if not member.writable or member.path not in self.pushed:
                continue
            value = self.read(member.path)
            if value is not None and value != self.pushed[member.path]:
                model.write(member.name, value)
                self.pushed[member.path] = model.values()[member.name]

    def push(self):
        """Send every member whose value changed since the last push; returns how many were sent."""
        timestamp = self.clock.now() if self.clock is not None else None
        sent = 0
        values = {}
        for model, member in self._members:
            provided = values.get(id(model))
            if provided is None:
                provided = values[id(model)] = model.values()
            value = provided[member.name]
            if member.path in self.pushed and self.pushed[member.path] == value:
                continue
            self.pushed[member.path] = value
            self.sink.update(member.path, value, None, timestamp)
            sent += 1
        self.updates += sent
        return sent
