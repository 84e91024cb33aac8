"""The short replay (replay_short.json) through the replay runner: its summary must be identical on
CPython and Jython (per machine OEE and downtime, the ERP order, the outbox)."""
from __future__ import absolute_import, division, print_function

import os

PROJECT = "project"
START = "2026-01-05T06:00:00"
REPLAY = os.path.join("tests", "scenarios", "replay_short.json")


def run(gw):
    from harness.replay import Replay, load
    gw.shutdown()  # the replay builds its own gateway with the scenario's timers
    folder = os.path.dirname(gw.databases["genba"][len("sqlite:///"):])
    replay = Replay(load(REPLAY), "sqlite:///" + os.path.join(folder, "replay.db").replace(os.sep, "/"))
    try:
        return replay.play()
    finally:
        replay.close()
