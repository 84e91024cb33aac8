"""Counts survive a simulator killed and restarted 10 times: 0 parts lost, 0 counted twice.

The plant keeps producing while its OPC UA server is down (PLCs keep their counters). A tag-change
listener on every OutfeedCount tag accumulates `mes.counter.delta(previous good reading, new good
reading)`, skipping readings that are not Good. Counters start 300 below 2**32, so every machine's
counter also wraps during the run.
"""
from __future__ import annotations

import os
import random
import time

import pytest

from harness.opcua_bridge import OpcUaBridge
from simulator.models import UINT32
from simulator.plant import load_plant
from simulator.testing import ServedSimulator

pytestmark = pytest.mark.opcua

PROJECT = os.path.join(os.path.dirname(__file__), "..", "..", "project")
KILLS = 10


class ProductionTally(object):
    """Test-side tag change handler: parts per counter tag through mes.counter.delta."""

    def __init__(self, gateway, paths):
        self.delta = gateway.library.resolve("mes.counter.delta")
        self.previous = {}
        self.parts = dict((path, 0) for path in paths)
        gateway.tags.subscribe(paths, self.on_change)

    def on_change(self, path, previous, current, changes, initial):
        if not current.quality.isGood() or current.value is None:
            return
        key = str(path)
        if key in self.previous:
            self.parts[key] += self.delta(self.previous[key], current.value)
        self.previous[key] = current.value


def test_ten_server_kills_lose_and_double_count_nothing(make_gateway):
    plant = load_plant(PROJECT, seed=11, profile="realistic",
                       overrides={"*": {"counter_start": UINT32 - 300}})
    counters = sorted(path for path in plant.by_path if path.endswith("/OutfeedCount"))
    rng = random.Random(3)
    gateway = make_gateway(project=PROJECT)
    tally = ProductionTally(gateway, counters)
    with ServedSimulator(plant, period=0.05, speed=20.0) as served:
        sim = served.server
        sim.pause()  # no production before the first readings are in
        bridge = OpcUaBridge(gateway, served.endpoint, rates={"Default": 100, "Fast": 100}, watchdog=0.3,
                             reconnect_delay=0.1)
        with bridge:
            assert bridge.wait_connected(30)
            assert bridge.pump_until(lambda: len(tally.previous) == len(counters), 30)
            sim.resume()
            for kill in range(KILLS):
                bridge.pump_until(lambda: False, 0.2 + 0.4 * rng.random())
                served.call(sim.kill())
                time.sleep(0.2 + 0.3 * rng.random())  # the plant produces while nobody can read it
                served.call(sim.restart())
                assert bridge.pump_until(lambda: bridge.connections == kill + 2, 30), bridge.last_error
            bridge.pump_until(lambda: False, 0.5)
            sim.pause()

            def caught_up():
                return all(tally.previous.get(path) == plant.by_path[path][0].outfeed.value for path in counters)

            assert bridge.pump_until(caught_up, 30)

    truth = dict((path, plant.by_path[path][0].outfeed.total) for path in counters)
    assert tally.parts == truth
    assert bridge.losses == KILLS
    assert sum(truth.values()) > 1000
    assert all(plant.by_path[path][0].outfeed.value < 2 ** 31 for path in counters if truth[path] > 300)


def test_a_plc_restart_seen_through_the_bridge_adds_the_new_reading_and_nothing_else(make_gateway):
    plant = load_plant(PROJECT, seed=5, profile="ideal")
    filler = "[default]Genba/Plant1/Packaging/Line1/Filler/OutfeedCount"
    model = plant.by_path[filler][0]
    gateway = make_gateway(project=PROJECT)
    tally = ProductionTally(gateway, [filler])
    with ServedSimulator(plant, auto_step=False) as served:
        with OpcUaBridge(gateway, served.endpoint, rates={"Default": 100}) as bridge:
            assert bridge.wait_connected(30)
            for seconds in (30.0, 30.0):
                served.call(served.server.tick(seconds))
                assert bridge.pump_until(lambda: tally.previous.get(filler) == model.outfeed.value, 20)
            served.server.counter_reset(filler.rsplit("/", 1)[0])  # the last reading (200) was taken
            served.call(served.server.tick(6.0))
            assert bridge.pump_until(lambda: tally.previous.get(filler) == model.outfeed.value, 20)
    # 100 + 100 parts before the restart, 20 after it (the first reading, 0, only set the base)
    assert (tally.parts[filler], model.outfeed.value, model.outfeed.total) == (220, 20, 220)
