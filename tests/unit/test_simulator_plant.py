"""The plant built from the project's tag model, and the direct (socket-less) driver."""
from __future__ import absolute_import, division, print_function

import datetime
import os

import pytest

from simulator.direct import DirectDriver
from simulator.models import IDLE, RUNNING
from simulator.plant import Plant, load_plant, machine_specs

PROJECT = os.path.join(os.path.dirname(__file__), "..", "..", "project")
LINE1 = "[default]Genba/Plant1/Packaging/Line1"
LINE2 = "[default]Genba/Plant1/Assembly/Line2"


@pytest.fixture
def plant():
    return load_plant(PROJECT, seed=3, profile="ideal")


def test_the_plant_has_two_lines_in_sequence_order(plant):
    lines = dict((line.name, [m.name for m in line.machines]) for line in plant.lines)
    assert lines == {
        LINE1: ["Depalletizer", "Rinser", "Filler", "Capper", "Labeler", "Checkweigher", "CasePacker",
                "CaseSealer", "Palletizer", "StretchWrapper"],
        LINE2: ["Feeder", "Press", "TorqueStation1", "TorqueStation2", "TorqueStation3",
                "VisionInspection", "LaserMarker", "EndOfLineTest", "Pack", "Palletizer"],
    }


@pytest.mark.parametrize("path, kind, rate", [
    (LINE1 + "/Filler", "Filler", 200.0),
    (LINE1 + "/Depalletizer", "Machine", 220.0),
    (LINE1 + "/Checkweigher", "Checkweigher", 240.0),
    (LINE2 + "/TorqueStation2", "TorqueStation", 62.0),
    (LINE2 + "/EndOfLineTest", "EndOfLineTest", 64.0),
])
def test_machine_kind_comes_from_type_id_and_rate_from_the_ideal_rate_parameter(plant, path, kind, rate):
    model = plant.machines[path]
    assert (model.kind, model.ideal_rate) == (kind, rate)


def test_member_addresses_come_from_the_resolved_opc_item_path(plant):
    model, member = plant.by_path[LINE1 + "/Filler/State"]
    assert member.address == "ns=2;s=Line1.Filler.State"
    assert member.server == "Genba Simulator"
    assert model is plant.machines[LINE1 + "/Filler"]
    assert plant.by_address["ns=2;s=Line2.Press.LastScan"][1].path == LINE2 + "/Press/LastScan"


def test_every_opc_member_of_the_tag_model_has_a_simulated_value(plant):
    from harness.core.tagmodel import load_project_tags
    opc_paths = set(str(tag.path) for tag in load_project_tags(PROJECT).iter_atomic()
                    if tag.config.get("valueSource") == "opc")
    assert set(plant.snapshot()) == opc_paths
    assert len(opc_paths) == 171


def test_only_members_without_read_only_are_writable(plant):
    writable = sorted(m.path for _, m in plant.by_path.values() if m.writable)
    assert LINE1 + "/Filler/FillTarget" in writable
    assert LINE1 + "/Checkweigher/TargetWeight" in writable
    assert all(path.endswith(("/Permissive", "/FillTarget", "/TargetWeight")) for path in writable)


def test_writing_the_permissive_address_idles_the_machine(plant):
    plant.write("ns=2;s=Line1.Filler.Permissive", False)
    plant.step(1.0)
    assert plant.machines[LINE1 + "/Filler"].state == IDLE


def test_writing_a_read_only_address_is_refused(plant):
    with pytest.raises(KeyError):
        plant.write("ns=2;s=Line1.Filler.OutfeedCount", 0)


def test_the_same_seed_gives_the_same_plant_after_twenty_minutes():
    first = load_plant(PROJECT, seed=5)
    second = load_plant(PROJECT, seed=5)
    for _ in range(1200):
        first.step(1.0)
        second.step(1.0)
    assert first.snapshot() == second.snapshot()
    assert first.totals() == second.totals()


def test_an_ideal_line_is_paced_by_its_slowest_machine(plant):
    for _ in range(600):
        plant.step(1.0)
    filler = plant.machines[LINE1 + "/Filler"]
    assert filler.totals()["outfeed"] == 2000
    assert filler.state == RUNNING


def test_an_unknown_profile_is_refused():
    with pytest.raises(ValueError):
        Plant([], profile="perfect")


def test_overrides_apply_to_one_machine_by_name():
    plant = load_plant(PROJECT, profile="ideal", overrides={"Filler": {"speed_loss": 0.5}})
    assert plant.machine(LINE1 + "/Filler").speed_loss == 0.5
    assert plant.machine(LINE1 + "/Capper").speed_loss == 0.0


# ---- direct driver ---------------------------------------------------------------------------
class RecordingSink(object):
    def __init__(self):
        self.calls = []
        self.values = {}

    def update(self, path, value, quality=None, timestamp=None):
        self.calls.append((path, value, quality, timestamp))
        self.values[path] = value


class StepClock(object):
    """Virtual time with one repeating timer, like the harness clock's call_later."""

    def __init__(self):
        self.moment = datetime.datetime(2026, 1, 5, 6, 0, 0)
        self.pending = []

    def now(self):
        return self.moment

    def call_later(self, seconds, callback):
        handle = _Handle(self.moment + datetime.timedelta(seconds=seconds), callback)
        self.pending.append(handle)
        return handle

    def advance(self, seconds):
        until = self.moment + datetime.timedelta(seconds=seconds)
        while True:
            due = sorted((h for h in self.pending if not h.cancelled and h.due <= until), key=lambda h: h.due)
            if not due:
                break
            handle = due[0]
            self.pending.remove(handle)
            self.moment = handle.due
            handle.callback()
        self.moment = until


class _Handle(object):
    def __init__(self, due, callback):
        self.due, self.callback, self.cancelled = due, callback, False

    def cancel(self):
        self.cancelled = True


def test_direct_driver_pushes_every_value_once_then_only_changes(plant):
    sink, clock = RecordingSink(), StepClock()
    driver = DirectDriver(plant, sink, clock, period=1.0).start()
    assert len(sink.calls) == 171
    sink.calls = []
    clock.advance(1.0)
    changed = set(path for path, _, _, _ in sink.calls)
    assert LINE1 + "/Filler/OutfeedCount" in changed
    assert LINE1 + "/Filler/Permissive" not in changed
    discrete = ("/State", "/FaultCode")
    assert all(ts == datetime.datetime(2026, 1, 5, 6, 0, 1) for path, _, _, ts in sink.calls
               if not path.endswith(discrete))
    # the machines started running at the start of the step: the change carries that instant
    assert (LINE1 + "/Filler/State", 1, datetime.datetime(2026, 1, 5, 6, 0, 0)) in [
        (path, value, ts) for path, value, _, ts in sink.calls]
    driver.stop()


def test_direct_driver_counts_match_the_models_ground_truth(plant):
    sink, clock = RecordingSink(), StepClock()
    DirectDriver(plant, sink, clock, period=0.5).start()
    clock.advance(300)
    filler = plant.machines[LINE1 + "/Filler"]
    assert sink.values[LINE1 + "/Filler/OutfeedCount"] == filler.totals()["outfeed"] == 1000


def test_direct_driver_applies_a_gateway_write_to_the_machine(make_gateway):
    gw = make_gateway(project=PROJECT)
    plant = load_plant(PROJECT, seed=3, profile="ideal")
    driver = DirectDriver(plant, gw.tags, gw.clock).attach(gw.tags).start()
    gw.clock.advance(5)
    quality = gw.write(LINE1 + "/Filler/Permissive", False)
    gw.clock.advance(2)
    assert quality.isGood()
    assert plant.machines[LINE1 + "/Filler"].state == IDLE
    assert gw.read(LINE1 + "/Filler/State").value == IDLE
    assert gw.read(LINE1 + "/Filler/Permissive").value is False
    assert driver.pushed[LINE1 + "/Filler/Permissive"] is False


def test_direct_driver_refuses_a_gateway_write_to_a_read_only_member(make_gateway):
    gw = make_gateway(project=PROJECT)
    plant = load_plant(PROJECT, seed=3, profile="ideal")
    DirectDriver(plant, gw.tags, gw.clock).attach(gw.tags).start()
    assert gw.write(LINE1 + "/Filler/OutfeedCount", 0).isBad()


def test_direct_driver_on_the_harness_clock_lands_counts_in_gateway_tags(make_gateway):
    gw = make_gateway(project=PROJECT)
    plant = load_plant(PROJECT, seed=3, profile="ideal")
    DirectDriver(plant, gw.tags, gw.clock, period=0.5).start()
    gw.clock.advance(60)
    assert gw.read(LINE1 + "/Filler/OutfeedCount").value == 200
    assert gw.read(LINE1 + "/Filler/State").quality.isGood()


def test_machine_specs_skip_instances_without_opc_members():
    class Node(object):
        def __init__(self, name, tag_type, config=None, children=(), parameters=None):
            self.name, self.tag_type, self.config = name, tag_type, config or {}
            self.children, self.parameters = list(children), parameters or {}
            self.path = "[p]" + name

    class Model(object):
        providers = {"p": []}

        def resolve(self, provider):
            memory = Node("Memo", "UdtInstance", {"typeId": "Note"}, [Node("Text", "AtomicTag")])
            opc = Node("M1", "UdtInstance", {"typeId": "Machine"},
                       [Node("State", "AtomicTag", {"valueSource": "opc", "opcItemPath": "ns=2;s=M1.State"})])
            return [Node("F", "Folder", children=[memory, opc])]

    specs = machine_specs(Model())
    assert [(s.path, [m.address for m in s.members]) for s in specs] == [("[p]M1", ["ns=2;s=M1.State"])]


def test_a_long_step_is_the_same_as_many_two_second_steps():
    coarse = load_plant(PROJECT, seed=9)
    fine = load_plant(PROJECT, seed=9)
    coarse.step(30.0)
    for _ in range(15):
        fine.step(2.0)
    assert coarse.snapshot() == fine.snapshot()
