"""A production line: machines in flow order coupled by bounded buffers (starved/blocked).

Python 2.7/3 common subset. The first machine takes from an endless `Source` of (lot, serial) parts,
the last one discharges into a `Sink`; between two machines sits a `Buffer`. A line is stepped
upstream first, so a part made in a step can be taken downstream in the same step.
"""
from __future__ import absolute_import, division, print_function

from simulator.models import Buffer, Sink, Source

__all__ = ["Line"]


class Line(object):
    """Machines in flow order; `buffers[i]` sits between `machines[i]` and `machines[i + 1]`."""

    def __init__(self, name, machines, buffer_capacity=40, serial_prefix=None, lot="LOT-0001"):
        if not machines:
            raise ValueError("line %r has no machines" % (name,))
        self.name = name
        self.machines = list(machines)
        self.source = Source(serial_prefix if serial_prefix is not None else name + "-", lot)
        self.sink = Sink()
        self.buffers = [Buffer(buffer_capacity) for _ in self.machines[1:]]
        self.machines[0].upstream = self.source
        for index, buffer in enumerate(self.buffers):
            self.machines[index].downstream = buffer
            self.machines[index + 1].upstream = buffer
        self.machines[-1].downstream = self.sink

    def step(self, dt):
        for machine in self.machines:
            machine.step(dt)

    def work_in_progress(self):
        """Parts sitting in the buffers."""
        return sum(len(buffer) for buffer in self.buffers)

    def totals(self):
        """Ground truth of the line: parts started, finished, rejected anywhere, and in buffers."""
        return {
            "started": self.machines[0].infeed.total,
            "finished": self.sink.count,
            "rejected": sum(m.reject.total for m in self.machines),
            "wip": self.work_in_progress(),
        }
