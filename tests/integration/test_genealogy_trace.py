"""mes.genealogy.trace over a small hand-made graph, on SQLite and PostgreSQL: the one statement
finds the root and every unit reached once at its smallest depth, nearest first, within the depth
and fan-out limits; unknown and ambiguous numbers are reported as before."""
from __future__ import annotations

import datetime
import os

import pytest

from harness.core import migrations
from harness.core.db import DbService
from harness.core.library import ScriptLibrary
from harness.core.system.namespace import Namespace
from harness.pytest_db import postgres_server  # noqa: F401  (fixture)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# id: (kind, item, code). Two units carry the number DUP (two items).
UNITS = {
    1: ("lot", "RESIN", "R-1"), 2: ("lot", "RESIN", "R-2"), 3: ("lot", "RESIN", "S-1"),
    4: ("lot", "RESIN", "BLEND"), 5: ("lot", "HOUSING", "H-1"), 6: ("serial", "BOARD", "B-1"),
    7: ("serial", "UNIT", "U-1"), 8: ("serial", "UNIT", "U-2"), 9: ("lot", "RESIN", "DUP"),
    10: ("lot", "GLUE", "DUP"), 11: ("serial", "BOX", "X-1"),
}
# input -> output: R-1 split into S-1, S-1 and R-2 merged into BLEND, BLEND into H-1, H-1 and B-1
# into U-1, R-1 also straight into U-1 (reached at depth 1 and 4), U-1 into the box X-1.
EDGES = [(1, 3, "split"), (3, 4, "merge"), (2, 4, "merge"), (4, 5, "consume"), (5, 7, "assemble"),
         (6, 7, "assemble"), (1, 7, "consume"), (5, 8, "assemble"), (7, 11, "assemble"), (9, 8, "consume")]


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def trace(request, tmp_path_factory):
    """The graph is built once per engine; the tests only read it."""
    if request.param == "sqlite":
        url = "sqlite:///" + str(tmp_path_factory.mktemp("trace") / "genba.db")
    else:
        url = request.getfixturevalue("postgres_server").create_database()
    service = DbService({"genba": url}, "genba")
    migrations.upgrade(service, os.path.join(ROOT, "project", "db", "migrations"))
    for unit_id in sorted(UNITS):
        service.runPrepUpdate("INSERT INTO mat_units (id, kind, item_id, code) VALUES (?, ?, ?, ?)",
                              [unit_id] + list(UNITS[unit_id]))
    for number, (src, dst, kind) in enumerate(EDGES, 1):
        service.runPrepUpdate("INSERT INTO genealogy_edges (id, input_unit_id, output_unit_id, kind, at) "
                              "VALUES (?, ?, ?, ?, ?)", [number, src, dst, kind, datetime.datetime(2026, 1, 5, 6, number)])
    library = ScriptLibrary(os.path.join(ROOT, "project", "scripts"), {"system": Namespace("system", {"db": service})})
    yield library.resolve("mes.genealogy.trace")
    service.close()


def expected(root, direction, max_depth, max_nodes):
    """Breadth-first over EDGES in Python: (unit_id, depth) nearest first, then by id."""
    depth = {root: 0}
    frontier = [root]
    for level in range(1, max_depth + 1):
        found = []
        for unit in frontier:
            for src, dst, _ in EDGES:
                near, far = (dst, src) if direction == "backward" else (src, dst)
                if near == unit and far not in depth:
                    depth[far] = level
                    found.append(far)
        frontier = found
    return sorted(depth.items(), key=lambda pair: (pair[1], pair[0]))[:max_nodes]


def units(result):
    return [(node["unit_id"], node["depth"]) for node in result["nodes"]]


@pytest.mark.parametrize("code, kind, direction", [
    ("X-1", "serial", "backward"), ("U-2", "serial", "backward"), ("R-1", "lot", "forward"), ("R-2", "lot", "forward")])
@pytest.mark.parametrize("max_depth, max_nodes", [(10, 10000), (2, 10000), (1, 10000), (10, 3), (10, 1)])
def test_trace_reaches_each_unit_once_at_its_smallest_depth_within_the_limits(trace, code, kind, direction, max_depth, max_nodes):
    root = [unit_id for unit_id, unit in UNITS.items() if unit[0] == kind and unit[2] == code][0]
    result = trace(**{kind: code, "direction": direction, "max_depth": max_depth, "max_nodes": max_nodes})
    every = expected(root, direction, max_depth, 10000)
    assert units(result) == every[:max_nodes]
    assert result["truncated"] is (len(every) > max_nodes)
    assert result["root"] == {"unit_id": root, "depth": 0, "kind": kind, "item_id": UNITS[root][1], "code": code}
    assert result["depth_reached"] == every[:max_nodes][-1][1]


def test_a_unit_reached_along_a_short_and_a_long_path_is_listed_at_the_short_one(trace):
    result = trace(serial="U-1", direction="backward")
    assert units(result) == [(7, 0), (1, 1), (5, 1), (6, 1), (4, 2), (2, 3), (3, 3)]
    assert [node["code"] for node in result["nodes"]] == ["U-1", "R-1", "H-1", "B-1", "BLEND", "R-2", "S-1"]


def test_a_unit_id_or_a_number_of_one_item_names_the_root(trace):
    assert units(trace(unit_id=9, direction="forward")) == [(9, 0), (8, 1)]
    assert units(trace(lot="DUP", item_id="GLUE", direction="forward")) == [(10, 0)]


def test_edges_are_those_among_the_units_reached(trace):
    result = trace(lot="R-2", direction="forward", edges=True)
    assert [(e["input_unit_id"], e["output_unit_id"], e["kind"]) for e in result["edges"]] == [
        (2, 4, "merge"), (4, 5, "consume"), (5, 7, "assemble"), (5, 8, "assemble"), (7, 11, "assemble")]
    assert result["edges"][0]["at"] == "2026-01-05 06:03:00"


def test_a_number_of_two_items_is_refused_naming_both(trace):
    with pytest.raises(Exception) as raised:
        trace(lot="DUP", direction="forward")
    assert (type(raised.value).__name__, str(raised.value)) == (
        "InvalidInput", "'DUP' names units of items GLUE, RESIN; give the item too.")


def test_an_unknown_number_is_reported_before_a_bad_direction(trace):
    with pytest.raises(Exception) as raised:
        trace(lot="NOPE", direction="sideways")
    assert (type(raised.value).__name__, str(raised.value)) == ("UnitNotFound", "No lot or serial 'NOPE' is known.")
    with pytest.raises(Exception) as raised:
        trace(lot="R-1", direction="sideways")
    assert type(raised.value).__name__ == "InvalidInput"
    with pytest.raises(Exception) as raised:
        trace(unit_id=99)
    assert type(raised.value).__name__ == "UnitNotFound"


def test_limits_past_the_range_of_a_sql_integer_mean_no_limit(trace):
    result = trace(serial="U-1", direction="backward", max_depth=2 ** 63, max_nodes=2 ** 63 - 1, edges=True)
    assert units(result) == [(7, 0), (1, 1), (5, 1), (6, 1), (4, 2), (2, 3), (3, 3)]
    assert (result["max_depth"], result["truncated"], len(result["edges"])) == (2 ** 63, False, 7)
