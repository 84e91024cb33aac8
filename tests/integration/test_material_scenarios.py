"""The material scenarios (tests/scenarios/material_*.py) give exactly their golden results
(tests/cases/material/<name>.json) on the CPython gateway; the parity tests run the same files on
real Jython and require identical documents."""
from __future__ import annotations

import glob
import io
import json
import os

import pytest

from harness.core.scenario import load_scenario, normalise

SCENARIOS = sorted(glob.glob("tests/scenarios/material_*.py"))
GOLDEN = "tests/cases/material"


def golden(name):
    with io.open(os.path.join(GOLDEN, name + ".json"), encoding="utf-8") as handle:
        return json.load(handle)


def test_every_material_scenario_has_a_golden_result():
    names = [os.path.basename(p)[:-3] for p in SCENARIOS]
    assert names == ["material_backflush", "material_bad_scans", "material_consume_scan", "material_scanner_tag",
                     "material_serial_assembly", "material_split_merge_trace"]
    assert sorted(n[:-5] for n in os.listdir(GOLDEN)) == names


@pytest.mark.parametrize("path", SCENARIOS, ids=[os.path.basename(p)[:-3] for p in SCENARIOS])
def test_material_scenario_gives_its_golden_result(path, make_gateway):
    scenario = load_scenario(path)
    gateway = make_gateway(start=scenario.get("START"))
    result = normalise(scenario["run"](gateway))
    assert result == golden(os.path.basename(path)[:-3])


def test_every_refused_case_left_the_material_tables_and_audit_trail_unchanged():
    cases = golden("material_bad_scans")["cases"]
    assert len(cases) == 22
    assert [name for name, outcome in sorted(cases.items()) if outcome["unchanged"] is not True] == []
    assert all("error" in outcome for outcome in cases.values())


from harness.pytest_db import postgres_server, postgres_url  # noqa: E402,F401  (fixtures)


@pytest.mark.postgres
@pytest.mark.parametrize("path", SCENARIOS, ids=[os.path.basename(p)[:-3] for p in SCENARIOS])
def test_material_scenario_gives_the_same_result_on_postgresql(path, make_gateway, postgres_url):
    scenario = load_scenario(path)
    gateway = make_gateway(start=scenario.get("START"), databases={"genba": postgres_url}, default_database="genba")
    result = normalise(scenario["run"](gateway))
    assert result == golden(os.path.basename(path)[:-3])
