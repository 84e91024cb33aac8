"""The simulator's OPC UA server over loopback: address space, writes, security, fault injection."""
from __future__ import annotations

import asyncio
import datetime
import os

import pytest
from asyncua import Client, ua
from asyncua.crypto.security_policies import SecurityPolicyBasic256Sha256

from simulator.certs import make_certificate
from simulator.models import IDLE, RUNNING
from simulator.opcua_server import APPLICATION_URI, NAMESPACE_URI, Security, SimulatorServer
from simulator.plant import load_plant
from simulator.testing import LoopThread, free_endpoint

pytestmark = pytest.mark.opcua

PROJECT = os.path.join(os.path.dirname(__file__), "..", "..", "project")
CLIENT_URI = "urn:genba:harness:bridge"
LINE1 = "[default]Genba/Plant1/Packaging/Line1/"


def make_plant():
    return load_plant(PROJECT, seed=2, profile="ideal")


def node(machine, member):
    return "ns=2;s=Line1.%s.%s" % (machine, member)


async def read(client, address):
    return await client.get_node(address).read_attribute(ua.AttributeIds.Value, raise_on_bad_status=False)


@pytest.fixture(scope="module")
def loop():
    thread = LoopThread()
    yield thread
    thread.close()


@pytest.fixture(scope="module")
def sim(loop):
    """One ideal plant served for the module, stepped by the tests (no wall-time stepping)."""
    server = SimulatorServer(make_plant(), free_endpoint(), auto_step=False, server_clock=False)
    loop.run(server.start())
    yield server
    loop.run(server.stop())


def with_client(loop, sim, body):
    async def scenario():
        async with Client(sim.endpoint, timeout=10) as client:
            return await body(client)
    return loop.run(scenario())


def test_every_tag_model_address_is_a_node_with_the_model_value(loop, sim):
    loop.run(sim.tick(30.0))
    addresses = sorted(sim.plant.by_address)

    async def body(client):
        assert await client.get_namespace_index(NAMESPACE_URI) == 2
        return await client.read_values([client.get_node(a) for a in addresses])

    values = with_client(loop, sim, body)
    expected = [sim.plant.by_address[a][0].values()[sim.plant.by_address[a][1].name] for a in addresses]
    assert len(addresses) == 171
    assert values == expected


def test_nodes_are_grouped_in_one_object_per_machine_and_counters_are_uint32(loop, sim):
    async def body(client):
        filler = client.get_node("ns=2;s=Line1.Filler")
        names = sorted([(await child.read_browse_name()).Name for child in await filler.get_children()])
        counter = await read(client, node("Filler", "OutfeedCount"))
        state = await read(client, node("Filler", "State"))
        return names, counter.Value.VariantType, state.Value.VariantType

    names, counter_type, state_type = with_client(loop, sim, body)
    assert names == ["FaultCode", "FillTarget", "FillVolume", "InfeedCount", "OutfeedCount", "Permissive",
                     "RejectCount", "Speed", "State"]
    assert (counter_type, state_type) == (ua.VariantType.UInt32, ua.VariantType.Int32)


def test_a_client_write_to_a_writable_member_reaches_the_machine(loop, sim):
    async def body(client):
        permissive = client.get_node(node("Labeler", "Permissive"))
        await permissive.write_value(ua.DataValue(ua.Variant(False, ua.VariantType.Boolean)))
        await sim.tick(1.0)
        idle = (await read(client, node("Labeler", "State"))).Value.Value
        await permissive.write_value(ua.DataValue(ua.Variant(True, ua.VariantType.Boolean)))
        await sim.tick(1.0)
        return idle, (await read(client, node("Labeler", "State"))).Value.Value

    assert with_client(loop, sim, body) == (IDLE, RUNNING)


def test_a_client_write_to_a_read_only_member_is_refused(loop, sim):
    async def body(client):
        try:
            await client.get_node(node("Filler", "OutfeedCount")).write_value(
                ua.DataValue(ua.Variant(0, ua.VariantType.UInt32)))
        except ua.UaStatusCodeError as error:
            return error.code
        return None

    assert with_client(loop, sim, body) == ua.StatusCodes.BadUserAccessDenied


# ---- fault injection -------------------------------------------------------------------------
def test_frozen_nodes_keep_their_value_and_timestamp_while_the_machine_runs_on(loop, sim):
    address = node("Capper", "OutfeedCount")
    capper = sim.plant.machine(LINE1 + "Capper")

    async def body(client):
        await sim.tick(3.0)
        before = await read(client, address)
        sim.freeze([address])
        try:
            await sim.tick(3.0)
            frozen = await read(client, address)
            truth_while_frozen = capper.outfeed.value
        finally:
            sim.unfreeze()
        await sim.tick(3.0)
        return before, frozen, truth_while_frozen, await read(client, address)

    before, frozen, truth_while_frozen, after = with_client(loop, sim, body)
    assert frozen.Value.Value == before.Value.Value < truth_while_frozen
    assert frozen.SourceTimestamp == before.SourceTimestamp
    assert after.Value.Value == capper.outfeed.value


def test_a_bad_status_reaches_the_client_and_good_comes_back(loop, sim):
    address = node("Rinser", "Speed")

    async def body(client):
        await sim.set_status(address, "BadSensorFailure")
        bad = await read(client, address)
        await sim.set_status(address, None)
        good = await read(client, address)
        return bad.StatusCode.value, good.StatusCode.value

    assert with_client(loop, sim, body) == (ua.StatusCodes.BadSensorFailure, ua.StatusCodes.Good)


def test_counter_reset_drops_the_counters_of_that_machine_to_zero(loop, sim):
    async def body(client):
        await sim.tick(6.0)
        before = (await read(client, node("Depalletizer", "InfeedCount"))).Value.Value
        sim.counter_reset(LINE1 + "Depalletizer")
        await sim.tick(1.0)
        return before, (await read(client, node("Depalletizer", "InfeedCount"))).Value.Value

    before, after = with_client(loop, sim, body)
    assert after == sim.plant.machine(LINE1 + "Depalletizer").infeed.value
    assert before > 20 and 0 < after <= 4  # the count restarted from 0: at most 220 parts/min for 1 s


def test_a_clock_jump_shifts_source_timestamps_by_that_much(loop, sim):
    async def body(client):
        sim.jump_clock(-3600)
        try:
            await sim.tick(1.0)
            value = await read(client, node("Depalletizer", "InfeedCount"))
        finally:
            sim.jump_clock(3600)
        return value.ServerTimestamp - value.SourceTimestamp

    assert abs(with_client(loop, sim, body) - datetime.timedelta(hours=1)) < datetime.timedelta(seconds=1)


def test_latency_delays_publishing_but_delivers_every_change(loop, sim):
    async def body(client):
        before = (await read(client, node("Palletizer", "InfeedCount"))).Value.Value
        sim.set_latency(0.05, jitter=0.05)
        try:
            await sim.tick(3.0)
        finally:
            sim.set_latency(0.0)
        return before, (await read(client, node("Palletizer", "InfeedCount"))).Value.Value

    before, after = with_client(loop, sim, body)
    assert after == sim.plant.machine(LINE1 + "Palletizer").infeed.value > before


def test_dropped_connections_cut_the_client_but_the_server_keeps_listening(loop, sim):
    async def scenario():
        client = Client(sim.endpoint, timeout=2)
        await client.connect()
        sim.drop_connections()
        await asyncio.sleep(0.2)
        cut = False
        try:
            await read(client, node("Filler", "State"))
        except Exception:
            cut = True
        async with Client(sim.endpoint, timeout=10) as again:
            return cut, (await read(again, node("Filler", "State"))).StatusCode.value

    assert loop.run(scenario()) == (True, ua.StatusCodes.Good)


@pytest.mark.parametrize("hard", [False, True], ids=["address-space-kept", "hard"])
def test_a_killed_server_refuses_connections_and_after_restart_serves_the_plant_it_kept_running(loop, hard):
    server = SimulatorServer(make_plant(), free_endpoint(), auto_step=False, server_clock=False)

    async def scenario():
        async with server:
            await server.kill(hard=hard)
            await server.tick(3.0)  # the machines keep producing while the OPC UA side is down
            refused = False
            try:
                async with Client(server.endpoint, timeout=2):
                    pass
            except (OSError, asyncio.TimeoutError):
                refused = True
            await server.restart()
            async with Client(server.endpoint, timeout=10) as client:
                value = (await read(client, node("Filler", "OutfeedCount"))).Value.Value
            return refused, value, server.starts

    assert loop.run(scenario()) == (True, 10, 2)


@pytest.mark.parametrize("hard", [False, True], ids=["address-space-kept", "hard"])
def test_a_bad_status_cleared_while_the_server_is_down_is_good_after_the_restart(loop, hard):
    server = SimulatorServer(make_plant(), free_endpoint(), auto_step=False, server_clock=False)
    address = node("Filler", "State")

    async def scenario():
        async with server:
            await server.set_status(address, "BadSensorFailure")
            await server.kill(hard=hard)
            await server.set_status(address, None)
            await server.restart()
            async with Client(server.endpoint, timeout=10) as client:
                return (await read(client, address)).StatusCode.value

    assert loop.run(scenario()) == ua.StatusCodes.Good


# ---- security --------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    folder = str(tmp_path_factory.mktemp("pki"))
    return {
        "server": make_certificate(folder, "server", APPLICATION_URI),
        "trusted": make_certificate(folder, "bridge", CLIENT_URI),
        "stranger": make_certificate(folder, "stranger", CLIENT_URI),
    }


@pytest.fixture(scope="module")
def secure_sim(loop, pki):
    security = Security("Basic256Sha256", pki["server"][0], pki["server"][1],
                        users={"operator": "s3cret"}, trusted=[pki["trusted"][0]])
    server = SimulatorServer(make_plant(), free_endpoint(), security=security, auto_step=False,
                             server_clock=False)
    loop.run(server.start())
    yield server
    loop.run(server.stop())


def connect_secure(loop, endpoint, pki, certificate, username, password):
    """Connect with Basic256Sha256 SignAndEncrypt; the State value, or the status code refused."""
    async def scenario():
        client = Client(endpoint, timeout=5)
        client.application_uri = CLIENT_URI
        client.set_user(username)
        client.set_password(password)
        await client.set_security(SecurityPolicyBasic256Sha256, pki[certificate][0], pki[certificate][1],
                                  server_certificate=pki["server"][0],
                                  mode=ua.MessageSecurityMode.SignAndEncrypt)
        try:
            await client.connect()
        except ua.UaStatusCodeError as error:
            return error.code
        try:
            return (await read(client, node("Filler", "State"))).Value.Value
        finally:
            await client.disconnect()
    return loop.run(scenario())


def test_sign_and_encrypt_with_the_right_password_and_a_trusted_certificate_reads_values(loop, secure_sim, pki):
    assert connect_secure(loop, secure_sim.endpoint, pki, "trusted", "operator", "s3cret") == IDLE


def test_a_wrong_password_is_rejected(loop, secure_sim, pki):
    assert connect_secure(loop, secure_sim.endpoint, pki, "trusted", "operator", "guess") == \
        ua.StatusCodes.BadUserAccessDenied


def test_an_untrusted_client_certificate_is_rejected(loop, secure_sim, pki):
    assert connect_secure(loop, secure_sim.endpoint, pki, "stranger", "operator", "s3cret") == \
        ua.StatusCodes.BadCertificateUntrusted


def test_the_secure_server_offers_only_basic256sha256_sign_and_encrypt(loop, secure_sim):
    async def scenario():
        endpoints = await Client(secure_sim.endpoint, timeout=5).connect_and_get_server_endpoints()
        return sorted(set((e.SecurityPolicyUri.rsplit("#", 1)[-1], e.SecurityMode.name) for e in endpoints))

    assert loop.run(scenario()) == [("Basic256Sha256", "SignAndEncrypt")]


def test_security_refuses_an_encrypting_policy_without_a_certificate():
    with pytest.raises(ValueError):
        Security("Basic256Sha256")


def test_genba_sim_serves_the_project_plant_and_reports_its_totals(capsys):
    import json

    from harness.cli import main
    assert main(["sim", "--endpoint", free_endpoint(), "--duration", "0.5", "--speed", "20", "--seed", "3",
                 "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["nodes"] == 171
    assert len(document["totals"]) == 20


def test_a_batch_of_writes_reaches_every_subscription_once_per_node_with_good_status(loop, sim):
    addresses = [node("Filler", "FillVolume"), node("Capper", "CapTorque"), node("Checkweigher", "Weight")]

    class Collect(object):
        def __init__(self):
            self.changes = []

        def datachange_notification(self, n, value, data):
            self.changes.append((n.nodeid.to_string(), value, data.monitored_item.Value.StatusCode.value))

    async def scenario():
        async with Client(sim.endpoint, timeout=10) as client:
            handlers = [Collect(), Collect()]
            for handler in handlers:
                subscription = await client.create_subscription(20, handler)
                await subscription.subscribe_data_change([client.get_node(a) for a in addresses], queuesize=1)
            await asyncio.sleep(0.3)        # the initial values
            for handler in handlers:
                del handler.changes[:]
            written = await sim.set_values([(a, 1000.5 + i) for i, a in enumerate(addresses)])
            for _ in range(100):
                if all(len(h.changes) == 3 for h in handlers):
                    break
                await asyncio.sleep(0.05)
            values = await client.read_values([client.get_node(a) for a in addresses])
            return written, [sorted(h.changes) for h in handlers], values

    try:
        written, changes, values = loop.run(scenario())
    finally:
        loop.run(sim.tick(0.0))          # the model values go back to the nodes
    expected = sorted([(a, 1000.5 + i, ua.StatusCodes.Good) for i, a in enumerate(addresses)])
    assert written == 3
    assert changes == [expected, expected]
    assert values == [1000.5, 1001.5, 1002.5]


def test_set_values_on_a_killed_server_writes_nothing(loop):
    server = SimulatorServer(make_plant(), free_endpoint(), auto_step=False, server_clock=False)
    assert loop.run(server.set_values({node("Filler", "Speed"): 1.0})) == 0
