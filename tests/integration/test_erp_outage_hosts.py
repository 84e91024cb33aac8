"""tests/scenarios/erp_outage.py against a live stand-in, on CPython and on real Jython."""
import os

import pytest

from harness.environment import jython_command
from harness.erp_standin import ErpStandin
from harness.hosts import run_on_host
from harness.pytest_plugin import skip_or_fail

SCENARIO = "tests/scenarios/erp_outage.py"


def _run(host, monkeypatch):
    with ErpStandin() as standin:
        monkeypatch.setenv("GENBA_ERP_STANDIN", standin.url)
        result = run_on_host(host, [SCENARIO])["results"]["erp_outage.py"]
        return result, standin


def _check(result, standin):
    assert "error" not in result, result
    outbox = result["outbox"]
    assert [row[2] for row in outbox] == ["sent"] * 6
    assert result["counts"] == {"pending": 0, "sent": 6, "dead": 0}
    assert sorted(standin.keys()) == sorted(row[0] for row in outbox)  # every message, once
    for wo in ("WO-1001", "WO-1002"):  # in causal order per work order
        assert [m["key"] for m in standin.by_work_order(wo)] == [row[0] for row in outbox if row[1] == wo]
    assert any(r["mode"] == "refuse" for r in standin.requests)
    assert sum(1 for r in standin.requests if r.get("duplicate")) >= 1


def test_the_outage_scenario_delivers_everything_once_in_order_on_cpython(monkeypatch):
    _check(*_run("cpython", monkeypatch))


@pytest.mark.jython
def test_the_outage_scenario_delivers_everything_once_in_order_on_jython(monkeypatch):
    if jython_command() is None:
        skip_or_fail("real Jython 2.7 is not installed")
    _check(*_run("jython", monkeypatch))


def test_without_a_stand_in_the_scenario_says_it_was_skipped(monkeypatch):
    monkeypatch.delenv("GENBA_ERP_STANDIN", raising=False)
    assert run_on_host("cpython", [SCENARIO])["results"]["erp_outage.py"] == {
        "skipped": "no ERP stand-in (GENBA_ERP_STANDIN)"}
