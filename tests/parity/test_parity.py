"""The same scenarios give identical JSON on CPython and on real Jython 2.7 (a gateway's interpreter).

Every shipped scenario (harness/scenarios) and test scenario (tests/scenarios) runs once per host,
all in one process per host; each must succeed and the two documents must match exactly. This is
what catches integer division, dict ordering, unicode/str, round() and float-format differences.
"""
import os

import pytest

from harness.pytest_plugin import skip_or_fail
from parity_runs import SCENARIOS, start


@pytest.fixture(scope="module")
def cpython_results():
    return start("cpython").result()["results"]


@pytest.fixture(scope="module")
def jython_results():
    run = start("jython")
    if run is None:
        skip_or_fail("real Jython 2.7 is not installed (apt-get install jython default-jre-headless "
                     "libxerial-sqlite-jdbc-java libpostgresql-jdbc-java)")
    return run.result()["results"]


def test_there_are_scenarios_to_compare():
    assert "counter_rollover.py" in [os.path.basename(p) for p in SCENARIOS]


@pytest.mark.jython
@pytest.mark.parametrize("scenario", [os.path.basename(p) for p in SCENARIOS])
def test_scenario_result_is_identical_on_cpython_and_jython(scenario, cpython_results, jython_results):
    assert "error" not in cpython_results[scenario], cpython_results[scenario]
    assert "error" not in jython_results[scenario], jython_results[scenario]
    assert jython_results[scenario] == cpython_results[scenario]
