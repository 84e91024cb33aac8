"""Direct mode: the plant stepped by the gateway's clock, values pushed into a tag sink, no sockets.

Python 2.7/3 common subset (runs in-process under Jython too). The sink is duck-typed: anything
with `update(tag_path, value, quality, timestamp)` - the harness `gw.tags`. Quality is passed as
None (the sink's Good). The clock is duck-typed too: `now()` and `call_later(seconds, callback)`
(the harness virtual clock), so plant steps interleave with timer scripts in time order.

Writes from the gateway reach the machines because the driver is the device of its OPC server
name: `attach(gw.tags)` registers it (`tags.attach_device`), and the tag runtime hands every
write of an OPC tag of that server to `write(item_path, value, node)`.
"""
from __future__ import absolute_import, division, print_function

import datetime

__all__ = ["DirectDriver"]


class DirectDriver(object):
    """Steps `plant` every `period` seconds of `clock` and pushes changed values into `sink`.

    Args:
        plant: a `simulator.plant.Plant`.
        sink: object with `update(tag_path, value, quality, timestamp)`.
        clock: object with `now()` and `call_later(seconds, callback)`; None for manual `tick()`.
        period: seconds of plant time per tick.
    """

    def __init__(self, plant, sink, clock=None, period=1.0):
        if period <= 0:
            raise ValueError("direct driver period must be positive, got %r" % (period,))
        self.plant = plant
        self.sink = sink
        self.clock = clock
        self.period = float(period)
        self.pushed = {}
        self.updates = 0
        self._handle = None
        self._members = plant.members()
        self._discrete = []   # (model, State member, FaultCode member) of every machine
        by_model = {}
        for model, member in self._members:
            by_model.setdefault(id(model), (model, {}))[1][member.name] = member
        for key in sorted(by_model, key=lambda k: by_model[k][0].name):
            model, members = by_model[key]
            if "State" in members and hasattr(model, "track_transitions"):
                model.track_transitions()
                self._discrete.append((model, members["State"], members.get("FaultCode")))

    def start(self):
        """Push every value once, then tick every `period` seconds of the clock until `stop()`."""
        for model, _state, _fault in self._discrete:
            del model.transitions[:]
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
        """Step the plant by `dt` seconds (default: the period) and push what changed.

        State and FaultCode changes are pushed as they happened inside the step, each with the
        timestamp of its instant (a PLC reporting by exception); every other member is pushed
        with its value at the end of the step.
        """
        self.plant.step(self.period if dt is None else dt)
        return self.push_transitions() + self.push()

    def push_transitions(self):
        """Send the State / FaultCode changes the machines made since the last push, oldest first,
        stamped with the instant each happened; returns how many values were sent."""
        now = self.clock.now() if self.clock is not None else None
        sent = 0
        for model, state_member, fault_member in self._discrete:
            if not model.transitions:
                continue
            changes = list(model.transitions)
            del model.transitions[:]
            if now is None:
                continue
            for at, state, code in changes:
                stamp = now - datetime.timedelta(seconds=max(0.0, model.clock - at))
                # a fault code goes with its stop: cleared before the next state, set after it
                order = [(state_member, state), (fault_member, code)] if code else \
                    [(fault_member, code), (state_member, state)]
                for member, value in order:
                    if member is not None and self.pushed.get(member.path) != value:
                        self.pushed[member.path] = value
                        self.sink.update(member.path, value, None, stamp)
                        sent += 1
        self.updates += sent
        return sent

    def attach(self, tags, server="Genba Simulator"):
        """Become the device behind the OPC tags of `server` in a harness tag runtime (`gw.tags`)."""
        tags.attach_device(server, self)
        return self

    def write(self, item_path, value, node=None):
        """A gateway write to an OPC item: the machine takes it, the new value is pushed back."""
        from harness.core.quality import QualityCode
        try:
            self.plant.write(item_path, value)
        except KeyError:
            return QualityCode.Bad_ReadOnly if item_path in self.plant.by_address else QualityCode.Bad_NotFound
        self.push()
        return QualityCode.Good

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
