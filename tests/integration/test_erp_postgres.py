"""The ERP scenarios give the same results on PostgreSQL as on SQLite (same SQL, same numbers)."""
import pytest

from harness import Gateway
from harness.core.scenario import load_scenario, normalise, run_scenario
from harness.pytest_db import postgres_server, postgres_url  # noqa: F401  (fixtures)

SCENARIOS = ["tests/scenarios/erp_roundtrip.py", "tests/scenarios/erp_bad_input.py", "tests/scenarios/erp_material_floor.py"]


@pytest.mark.postgres
@pytest.mark.parametrize("path", SCENARIOS)
def test_the_scenario_matches_its_sqlite_result_on_postgresql(path, postgres_url):  # noqa: F811
    namespace = load_scenario(path)
    gw = Gateway(project="project", clock="virtual", start=namespace.get("START"),
                 databases={"genba": postgres_url}, default_database="genba")
    try:
        on_postgres = normalise(namespace["run"](gw))
        assert [e.trace for e in gw.errors] == []
    finally:
        gw.shutdown()
    assert on_postgres == run_scenario(path)
