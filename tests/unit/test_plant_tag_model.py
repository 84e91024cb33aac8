"""The plant tag model (project/tags/default): addresses come only from UDT parameters."""
from __future__ import annotations

import json
import os

from harness.core.tagmodel import load_project_tags

TAGS = os.path.join(os.path.dirname(__file__), "..", "..", "project", "tags", "default")


def walk(node):
    yield node
    for child in node.get("tags", []):
        for found in walk(child):
            yield found


def load(name):
    with open(os.path.join(TAGS, name), encoding="utf-8") as handle:
        return json.load(handle)


def test_every_opc_member_of_a_machine_type_binds_server_and_address_to_parameters():
    members = [n for n in walk(load("types-machines.json")) if n.get("valueSource") == "opc"]
    assert len(members) > 20
    for member in members:
        assert member["opcServer"] == {"bindType": "parameter", "binding": "{Server}"}, member["name"]
        assert member["opcItemPath"] == {"bindType": "parameter",
                                         "binding": "ns=2;s={Device}.%s" % member["name"]}, member["name"]


def test_the_instance_tree_holds_no_address_of_its_own():
    nodes = list(walk(load("plant.json")))
    assert not [n["name"] for n in nodes if "opcItemPath" in n or "opcServer" in n]
    instances = [n for n in nodes if n.get("tagType") == "UdtInstance"]
    assert len(instances) == 20
    assert all(set(n["parameters"]) >= {"Device", "Sequence"} for n in instances)


def test_every_resolved_opc_address_is_unique_and_follows_its_device():
    model = load_project_tags(os.path.join(TAGS, "..", ".."))
    opc = [t for t in model.iter_atomic() if t.config.get("valueSource") == "opc"]
    addresses = [t.config["opcItemPath"] for t in opc]
    assert len(addresses) == len(set(addresses)) == 171
    filler_state = [t for t in opc if str(t.path) == "[default]Genba/Plant1/Packaging/Line1/Filler/State"][0]
    assert filler_state.config["opcItemPath"] == "ns=2;s=Line1.Filler.State"
    assert filler_state.config["opcServer"] == "Genba Simulator"


def test_machine_instances_follow_isa95_enterprise_site_area_line_cell():
    model = load_project_tags(os.path.join(TAGS, "..", ".."))
    cells = set(str(t.path).rsplit("/", 1)[0] for t in model.iter_atomic()
                if t.config.get("valueSource") == "opc")
    assert all(len(cell.split("]", 1)[1].split("/")) == 5 for cell in cells)
    assert set(cell.split("/")[2] for cell in cells) == {"Packaging", "Assembly"}
