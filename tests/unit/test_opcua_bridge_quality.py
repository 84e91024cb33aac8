"""OPC UA status → Ignition quality mapping of the bridge, and the `genba sim` command line."""
from __future__ import annotations

import pytest
from asyncua import ua

from harness.cli import build_parser, main
from harness.core.quality import QualityCode
from harness.opcua_bridge import quality_of_status


@pytest.mark.parametrize("status, quality", [
    (ua.StatusCodes.Good, "Good"),
    (ua.StatusCodes.GoodClamped, "Good"),
    (ua.StatusCodes.UncertainLastUsableValue, "Uncertain"),
    (ua.StatusCodes.UncertainSensorNotAccurate, "Uncertain"),
    (ua.StatusCodes.Bad, "Bad"),
    (ua.StatusCodes.BadSensorFailure, "Bad"),
    (ua.StatusCodes.BadNodeIdUnknown, "Bad_NotFound"),
    (ua.StatusCodes.BadUserAccessDenied, "Bad_AccessDenied"),
    (ua.StatusCodes.BadCommunicationError, "Bad_NotConnected"),
    (ua.StatusCodes.BadNoCommunication, "Bad_NotConnected"),
])
def test_opc_status_maps_to_the_ignition_quality(status, quality):
    assert quality_of_status(ua.StatusCode(status)) == QualityCode.byName(quality)
    assert quality_of_status(status) == QualityCode.byName(quality)


def test_sim_command_help_shows_an_example():
    parser = build_parser()
    subparsers = next(a for a in parser._actions if a.dest == "command")
    assert "Example: genba sim --endpoint opc.tcp://127.0.0.1:4840" in subparsers.choices["sim"].description


def test_sim_command_refuses_a_user_without_a_password(capsys):
    assert main(["sim", "--user", "operator"]) == 2
    assert "--user takes NAME:PASSWORD, got 'operator'" in capsys.readouterr().err
