"""The OEE project files agree with each other and with the plant model."""
from __future__ import absolute_import, division, print_function

import json
import os

import pytest

from harness.core.tagmodel import load_project_tags

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
PLANT = os.path.join(ROOT, "tests", "scenarios", "oee_plant.json")
MACHINE_TAGS = sorted(["A", "Category", "CounterFrozen", "Good", "MTBF", "MTTR", "OEE", "P",
                       "PerformanceOver100", "Q", "Rework", "Scrap", "Shift", "State", "StateSeconds",
                       "Status", "Total", "WorkOrder"] +
                      [c + kept for c in ("InfeedCount", "OutfeedCount", "RejectCount", "ReworkCount")
                       for kept in ("Last", "Counted")])
LINE_TAGS = ["A", "Constraint", "Good", "OEE", "P", "Q", "Shift", "Status", "Total"]


@pytest.fixture(scope="module")
def tag_paths():
    return set(str(t.path) for t in load_project_tags(os.path.join(ROOT, "project")).iter_atomic())


@pytest.fixture(scope="module")
def plant():
    with open(PLANT) as handle:
        return json.load(handle)


def test_every_tag_change_path_is_a_machine_tag_of_the_plant_model(tag_paths):
    with open(os.path.join(ROOT, "project", "events", "tag-change", "oee-machines",
                           "config.json")) as handle:
        paths = json.load(handle)["paths"]
    assert len(paths) == 20 * 5
    assert [p for p in paths if p not in tag_paths] == []


def test_every_configured_machine_has_its_source_tags_and_live_oee_tags(tag_paths, plant):
    for m in plant["machines"]:
        for member in ("State", "FaultCode", "OutfeedCount", "RejectCount", "InfeedCount"):
            assert "[default]%s/%s" % (m["source_path"], member) in tag_paths
        assert sorted(p.rsplit("/", 1)[1] for p in tag_paths
                      if p.rsplit("/", 1)[0] == m["oee_path"]) == MACHINE_TAGS


def test_every_line_has_live_tags_and_its_constraint_is_its_slowest_machine(tag_paths, plant):
    for line in plant["lines"]:
        assert sorted(p.rsplit("/", 1)[1] for p in tag_paths
                      if p.rsplit("/", 1)[0] == line["oee_path"]) == LINE_TAGS
        members = [m for m in plant["machines"] if m["line_id"] == line["line_id"]]
        slowest = min(members, key=lambda m: (m["rates"][0]["rate_per_min"], m["sequence"]))
        assert line["constraint"] == slowest["machine_id"]
    assert [(l["line_id"], l["constraint"]) for l in plant["lines"]] == [
        ("Line1", "Line1/Filler"), ("Line2", "Line2/Press")]


def test_the_plant_configuration_loads_and_every_live_tag_is_written(gateway, plant):
    gateway.call("mes.oeeconfig.configure", plant)
    press = "[default]Genba/Plant1/Assembly/Line2/Press/"
    gateway.update(press + "State", 1)
    gateway.clock.advance(600)
    gateway.update(press + "OutfeedCount", 540)
    gateway.clock.advance(10)
    # 06:00-06:10:10 running at 60/min ideal (PRI 1 s): P = 540 s / 610 s, A = 1, Q = 1
    assert gateway.read("[default]OEE/Line2/Press/P").value == pytest.approx(540 / 610, abs=1e-12)
    assert gateway.read("[default]OEE/Line2/Press/A").value == 1.0
    assert gateway.read("[default]OEE/Line2/Line/Constraint").value == "Line2/Press"
    # the Filler never reported a state of the table: its State tag reads 0 -> unknown time
    assert gateway.read("[default]OEE/Line1/Filler/Category").value == "unknown"
    assert gateway.read("[default]OEE/Line1/Filler/A").value == 0.0


def test_the_demo_ideal_rates_are_the_simulated_machines_rates():
    from simulator.plant import load_plant
    with open(os.path.join(ROOT, "harness", "replays", "plant_oee.json")) as handle:
        demo = json.load(handle)
    simulated = load_plant(os.path.join(ROOT, "project"), profile="ideal")
    rates = dict((m["machine_id"], [r["rate_per_min"] for r in m["rates"]]) for m in demo["machines"])
    assert rates == dict(("/".join(path.split("/")[-2:]), [model.ideal_rate])
                         for path, model in simulated.machines.items())
