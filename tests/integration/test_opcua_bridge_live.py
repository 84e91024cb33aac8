"""The harness OPC UA bridge against the simulator over loopback: values, quality, writes, reconnects."""
from __future__ import annotations

import os

import pytest

from harness.core.quality import QualityCode
from harness.opcua_bridge import BridgeSecurity, OpcUaBridge
from simulator.certs import make_certificate
from simulator.models import IDLE
from simulator.opcua_server import APPLICATION_URI, Security, SimulatorServer
from simulator.plant import load_plant
from simulator.testing import LoopThread, free_endpoint

pytestmark = pytest.mark.opcua

PROJECT = os.path.join(os.path.dirname(__file__), "..", "..", "project")
FILLER = "[default]Genba/Plant1/Packaging/Line1/Filler/"
FAST = {"Default": 100, "Fast": 100}


@pytest.fixture(scope="module")
def loop():
    thread = LoopThread()
    yield thread
    thread.close()


@pytest.fixture(scope="module")
def sim(loop):
    server = SimulatorServer(load_plant(PROJECT, seed=4, profile="ideal"), free_endpoint(), auto_step=False,
                             server_clock=False)
    loop.run(server.start())
    loop.run(server.tick(12.0))
    yield server
    loop.run(server.stop())


@pytest.fixture
def bridged(make_gateway, sim):
    gateway = make_gateway(project=PROJECT)
    bridge = OpcUaBridge(gateway, sim.endpoint, rates=FAST, watchdog=0.5, reconnect_delay=0.2).start()
    assert bridge.wait_connected(20)
    yield gateway, bridge
    bridge.stop()


def model_value(sim, path):
    model, member = sim.plant.by_path[path]
    return model.values()[member.name]


def test_opc_tags_are_grouped_by_tag_group_rate(make_gateway):
    gateway = make_gateway(project=PROJECT)
    bridge = OpcUaBridge(gateway, "opc.tcp://127.0.0.1:1")  # not started: grouping only
    rates = {}
    for item in bridge.items.values():
        rates[item.rate] = rates.get(item.rate, 0) + 1
    # LastScan and ScanCount of the six scanner stations are in the "Fast" group.
    assert rates == {250: 12, 1000: 159}


def test_subscribed_values_land_in_the_gateway_tags_with_good_quality(bridged, sim):
    gateway, bridge = bridged
    paths = sorted(sim.plant.by_path)

    def landed():
        return all(gateway.read(p).value == model_value(sim, p) and gateway.read(p).quality.isGood()
                   for p in paths)

    assert bridge.pump_until(landed, 20)
    assert gateway.read(FILLER + "OutfeedCount").value == 40  # 200 parts/min for 12 s


def test_a_bad_status_lands_as_bad_quality_keeping_the_last_value(bridged, sim, loop):
    gateway, bridge = bridged
    path = FILLER + "Speed"
    assert bridge.pump_until(lambda: gateway.read(path).value == 200.0, 20)
    loop.run(sim.set_status("ns=2;s=Line1.Filler.Speed", "BadSensorFailure"))
    try:
        assert bridge.pump_until(lambda: gateway.read(path).quality.isBad(), 20)
        assert gateway.read(path).value == 200.0
        assert gateway.read(path).quality == QualityCode.Bad
    finally:
        loop.run(sim.set_status("ns=2;s=Line1.Filler.Speed", None))
    assert bridge.pump_until(lambda: gateway.read(path).quality.isGood(), 20)


def test_a_script_write_to_an_opc_tag_goes_to_the_server_and_back(bridged, sim, loop):
    gateway, bridge = bridged
    quality = gateway.write("[default]Genba/Plant1/Packaging/Line1/Rinser/Permissive", False)
    assert quality.isGood()
    loop.run(sim.tick(1.0))
    try:
        assert sim.plant.machine("[default]Genba/Plant1/Packaging/Line1/Rinser").state == IDLE
        assert bridge.pump_until(
            lambda: gateway.read("[default]Genba/Plant1/Packaging/Line1/Rinser/State").value == IDLE, 20)
    finally:
        gateway.write("[default]Genba/Plant1/Packaging/Line1/Rinser/Permissive", True)
        loop.run(sim.tick(0.0))


def test_a_lost_link_marks_tags_not_connected_and_a_fresh_client_brings_them_back(bridged, sim, loop):
    gateway, bridge = bridged
    path = FILLER + "OutfeedCount"
    assert bridge.pump_until(lambda: gateway.read(path).value == model_value(sim, path), 20)
    before = gateway.read(path).value
    sim.drop_connections()
    assert bridge.pump_until(lambda: gateway.read(path).quality == QualityCode.Bad_NotConnected, 20)
    assert gateway.read(path).value == before
    assert bridge.pump_until(lambda: gateway.read(path).quality.isGood(), 20)
    assert (bridge.connections, bridge.losses) == (2, 1)


def test_without_a_server_tags_are_not_connected_and_writes_fail(make_gateway):
    gateway = make_gateway(project=PROJECT)
    bridge = OpcUaBridge(gateway, free_endpoint(), watchdog=0.2, reconnect_delay=0.1).start()
    try:
        assert gateway.write(FILLER + "Permissive", False) == QualityCode.Bad_NotConnected
        assert not bridge.wait_connected(0.5)
        assert bridge.pump_until(lambda: gateway.read(FILLER + "State").quality == QualityCode.Bad_NotConnected, 5)
        assert "Connect" in (bridge.last_error or "") or "Refused" in (bridge.last_error or "")
    finally:
        bridge.stop()


# ---- security --------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def secure(loop, tmp_path_factory):
    folder = str(tmp_path_factory.mktemp("pki"))
    server_cert = make_certificate(folder, "server", APPLICATION_URI)
    client_cert = make_certificate(folder, "bridge", "urn:genba:harness:bridge")
    security = Security("Basic256Sha256", server_cert[0], server_cert[1], users={"mes": "pa55"},
                        trusted=[client_cert[0]])
    server = SimulatorServer(load_plant(PROJECT, seed=4, profile="ideal"), free_endpoint(), security=security,
                             auto_step=False, server_clock=False)
    loop.run(server.start())
    yield server, server_cert, client_cert
    loop.run(server.stop())


def test_the_bridge_connects_with_sign_and_encrypt_and_a_password(make_gateway, secure):
    server, server_cert, client_cert = secure
    gateway = make_gateway(project=PROJECT)
    security = BridgeSecurity(client_cert[0], client_cert[1], server_cert[0], "mes", "pa55")
    with OpcUaBridge(gateway, server.endpoint, rates=FAST, security=security) as bridge:
        assert bridge.wait_connected(20)
        assert bridge.pump_until(lambda: gateway.read(FILLER + "State").quality.isGood(), 20)


def test_the_bridge_with_a_wrong_password_never_connects(make_gateway, secure):
    server, server_cert, client_cert = secure
    gateway = make_gateway(project=PROJECT)
    security = BridgeSecurity(client_cert[0], client_cert[1], server_cert[0], "mes", "wrong")
    with OpcUaBridge(gateway, server.endpoint, security=security, reconnect_delay=0.2) as bridge:
        assert not bridge.wait_connected(2)
        assert "BadUserAccessDenied" in bridge.last_error


def test_on_a_wall_clock_gateway_scheduled_pumps_land_values_with_source_timestamps(make_gateway, sim):
    import datetime
    gateway = make_gateway(project=PROJECT, clock="wall")
    with OpcUaBridge(gateway, sim.endpoint, rates=FAST) as bridge:
        assert bridge.wait_connected(20)
        bridge.schedule(0.05)
        deadline = datetime.datetime.utcnow() + datetime.timedelta(seconds=20)
        while not gateway.read(FILLER + "Speed").quality.isGood() and datetime.datetime.utcnow() < deadline:
            gateway.clock.advance(0.2)
        value = gateway.read(FILLER + "Speed")
    assert value.quality.isGood()
    assert value.timestamp.tzinfo is None
    assert abs(datetime.datetime.utcnow() - value.timestamp) < datetime.timedelta(minutes=5)


def test_a_batch_of_server_writes_lands_in_the_gateway_tags(bridged, sim, loop):
    gateway, bridge = bridged
    speeds = sorted(p for p in sim.plant.by_path if p.endswith("/Speed"))
    addresses = [sim.plant.by_path[p][1].address for p in speeds]
    try:
        loop.run(sim.set_values([(a, 111.0 + i) for i, a in enumerate(addresses)]))
        assert bridge.pump_until(lambda: [gateway.read(p).value for p in speeds] ==
                                 [111.0 + i for i in range(len(speeds))], 20)
    finally:
        loop.run(sim.tick(0.0))
    assert len(speeds) == 20
