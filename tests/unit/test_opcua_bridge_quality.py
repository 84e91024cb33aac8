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


def test_the_data_changes_of_one_publish_reach_the_gateway_as_one_batch(make_gateway):
    import asyncio
    import os
    import types

    from asyncua.common.subscription import SubscriptionItemData

    from harness.opcua_bridge import OpcUaBridge, _Handler, _Subscription

    project = os.path.join(os.path.dirname(__file__), "..", "..", "project")
    filler = "[default]Genba/Plant1/Packaging/Line1/Filler/"
    gateway = make_gateway(project=project)
    bridge = OpcUaBridge(gateway, "opc.tcp://127.0.0.1:1")  # not started: no sockets
    subscription = _Subscription(None, ua.CreateSubscriptionParameters(), _Handler(bridge, bridge._generation))
    values = {"State": 1, "OutfeedCount": 42, "Speed": 180.0}
    monitored = []
    for handle, member in enumerate(sorted(values), 1):
        data = SubscriptionItemData()
        data.node = types.SimpleNamespace(nodeid=ua.NodeId.from_string("ns=2;s=Line1.Filler." + member))
        subscription._monitored_items[handle] = data
        monitored.append(ua.MonitoredItemNotification(
            ClientHandle=handle, Value=ua.DataValue(ua.Variant(values[member]), StatusCode=None)))
    monitored.append(ua.MonitoredItemNotification(
        ClientHandle=3, Value=ua.DataValue(StatusCode=ua.StatusCode(ua.StatusCodes.BadSensorFailure))))
    result = ua.PublishResult(NotificationMessage=ua.NotificationMessage(
        SequenceNumber=7, NotificationData=[ua.DataChangeNotification(MonitoredItems=monitored)]))

    asyncio.run(subscription.publish_callback(result))

    assert bridge._queue.qsize() == 1
    assert bridge.pump() == 4
    assert [gateway.read(filler + m).value for m in ("OutfeedCount", "Speed", "State")] == [42, 180.0, 1]
    assert str(gateway.read(filler + "State").quality) == "Bad"
    assert subscription.last_sequence_number == 7
