"""`genba trace`: the recall report over a database filled by the split/merge scenario."""
from __future__ import annotations

import json

import pytest

from harness.cli import main
from harness.core.scenario import load_scenario


@pytest.fixture
def filled_db(make_gateway, tmp_path):
    path = tmp_path / "trace.db"
    url = "sqlite:///%s" % path
    gateway = make_gateway(start="2026-01-05T06:00:00", databases={"genba": url}, default_database="genba")
    load_scenario("tests/scenarios/material_split_merge_trace.py")["run"](gateway)
    gateway.shutdown()
    return url


def test_forward_trace_prints_the_recall_report_with_the_edge_that_reached_each_unit(filled_db, capsys):
    assert main(["trace", "--lot", "R-1", "--forward", "--db", filled_db]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Forward trace of lot R-1 (item RESIN-A): 4 units, 5 edges"
    assert [line.split()[:5] for line in lines[2:]] == [
        ["1", "lot", "RESIN-A", "R-1-A", "split"], ["1", "lot", "HOUSING", "H-4001", "consume"],
        ["1", "lot", "HOUSING", "H-4002", "consume"], ["2", "lot", "RESIN-A", "BLEND-1", "merge"]]
    assert lines[3].split()[5:9] == ["WO-4001", "10", "PRESS-1", "ann"]


def test_backward_trace_as_json_lists_units_with_depth(filled_db, capsys):
    assert main(["trace", "--lot", "H-4002", "--backward", "--db", filled_db, "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert [(n["code"], n["depth"]) for n in document["nodes"]] == [
        ("H-4002", 0), ("R-1", 1), ("BLEND-1", 1), ("R-2", 2), ("R-1-A", 2)]
    assert document["truncated"] is False


def test_unknown_lot_is_a_failed_check_with_the_reason(filled_db, capsys):
    assert main(["trace", "--lot", "NOPE", "--forward", "--db", filled_db, "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "unit_not_found"


def test_direction_is_required(capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["trace", "--lot", "R-1"])
    assert stopped.value.code == 2
    assert "one of the arguments --forward --backward is required" in capsys.readouterr().err
