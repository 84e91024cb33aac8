"""OEE buckets for the deploy fixture."""
from __future__ import absolute_import, division, print_function


def availability(run_seconds, planned_seconds):
    """Run time over planned time."""
    if planned_seconds <= 0:
        return 0.0
    return run_seconds / planned_seconds


def record_state(machine_path, state):
    """Write a machine state to its tag."""
    system.tag.writeBlocking([machine_path + "/State"], [state])
    return system.tag.readBlocking(["[default]Plant/Line 1/Filler/State"])[0].value


def tick():
    """Timer entry point."""
    return availability(1, 2)
