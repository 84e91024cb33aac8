"""The chaos soak through the real OPC UA path: the simulator's asyncua server and the harness
bridge on 127.0.0.1, OPC UA server restarts and connection drops among the faults; counts equal
the simulator's truth, the invariants hold, the floor's scans and gauge readings are all booked.
The long run is `genba soak --hours N --seed S --opcua`."""
from __future__ import annotations

import os

import pytest

from harness.soak import OPCUA_KINDS, run_soak

pytestmark = pytest.mark.opcua

HOURS = float(os.environ.get("GENBA_SOAK_OPCUA_HOURS", "0.1"))


def test_a_short_soak_through_opc_ua_with_server_restarts_and_drops_loses_and_duplicates_nothing():
    report = run_soak(HOURS, 7, opcua=True)
    assert report["mode"] == "opcua"
    assert set(report["faults"]) >= {"opcua_restart", "opcua_drop", "db_outage"}
    assert set(report["faults"]) <= set(OPCUA_KINDS)
    assert report["opcua"]["losses"] >= 1 and report["opcua"]["stalls"] == 0
    assert [c["violations"] for c in report["invariants"]] == [[]] * 6
    assert all(t["pq"] == t["outfeed"] and t["sq"] == t["reject"] for t in report["truth"])
    assert (report["parts_lost"], report["parts_duplicated"]) == (0, 0)
    gauge = report["floor"]["gauge"]
    assert gauge["delivered"] == gauge["measured"] + gauge["refused"] > 0 and gauge["pending"] == 0
    assert report["floor"]["consumed_kg"] == report["floor"]["consumed_kg_journal"] > 0
    assert report["script_errors"] == 0
    assert report["ok"] is True
