"""OPC UA server of the simulated plant (CPython, asyncua), with fault injection.

The address space is generated from the tag model: every OPC member's `opcItemPath`
(`ns=2;s=Line1.Filler.State`) becomes a variable with that string NodeId in the namespace
`urn:genba:simulator`, grouped in one object per machine (`Line1.Filler`) inside one folder per
leading address segment (`Line1`) — asyncua slows down quadratically on a flat folder of
thousands of nodes. A member is writable when its tag is not `readOnly`. UInt32 PLC counters are
published as UInt32.

The plant keeps producing while the server is down: `kill()`/`restart()` stop and start only the
OPC UA side, like a gateway in front of PLCs that keep their counters. A PLC restart (counters back
to 0) is `counter_reset(machine)`.
"""
from __future__ import annotations

import asyncio
import datetime
import logging
import random

from asyncua import Server, ua
from asyncua.crypto.permission_rules import User, UserRole
from asyncua.crypto import uacrypto
from asyncua.server.binary_server_asyncio import BinaryServer
from asyncua.server.monitored_item_service import MonitoredItemService
from asyncua.server.user_managers import UserManager

from simulator.certs import fingerprint

__all__ = ["APPLICATION_URI", "DEFAULT_ENDPOINT", "NAMESPACE_URI", "Security", "SimulatorServer",
           "VARIANT_TYPES"]

DEFAULT_ENDPOINT = "opc.tcp://127.0.0.1:4840"
NAMESPACE_URI = "urn:genba:simulator"
APPLICATION_URI = "urn:genba:simulator:server"

VARIANT_TYPES = {
    "Int1": ua.VariantType.SByte, "Int2": ua.VariantType.Int16, "Int4": ua.VariantType.Int32,
    "Int8": ua.VariantType.Int64, "Float4": ua.VariantType.Float, "Float8": ua.VariantType.Double,
    "Boolean": ua.VariantType.Boolean, "String": ua.VariantType.String,
    "DateTime": ua.VariantType.DateTime,
}
DEFAULTS = {"Boolean": False, "String": "", "Float4": 0.0, "Float8": 0.0,
            "DateTime": datetime.datetime(2000, 1, 1, tzinfo=datetime.timezone.utc)}

_YIELD_EVERY = 1000              # writes between two chances for the loop to answer publish requests
_log = logging.getLogger("genba.simulator")


class Security(object):
    """Endpoint security of the simulator.

    Args:
        policy: "None" or "Basic256Sha256" (SignAndEncrypt).
        certificate, private_key: server certificate (DER/PEM path) and key (PEM path); needed
            for Basic256Sha256.
        users: {username: password}; when given, anonymous sessions are refused.
        trusted: paths of client certificates to trust; when given, a session whose client
            certificate is not among them is rejected (BadCertificateUntrusted).
    """

    def __init__(self, policy="None", certificate=None, private_key=None, users=None, trusted=None):
        if policy not in ("None", "Basic256Sha256"):
            raise ValueError("security policy must be 'None' or 'Basic256Sha256', got %r" % (policy,))
        if policy != "None" and not (certificate and private_key):
            raise ValueError("security policy %r needs a server certificate and private key" % (policy,))
        self.policy = policy
        self.certificate = certificate
        self.private_key = private_key
        self.users = dict(users) if users else None
        self.trusted = list(trusted) if trusted is not None else None


class _PasswordUsers(UserManager):
    def __init__(self, users):
        self.users = users

    def get_user(self, iserver, username=None, password=None, certificate=None):
        if username is not None and self.users.get(username) == password:
            return User(role=UserRole.User, name=username)
        return None


class _Published(ua.DataValue):
    """A DataValue the simulator publishes and never changes afterwards.

    asyncua deep-copies every written DataValue once per monitored item so that a later change of
    the caller's object cannot alter the item's previous value; that copy was most of the cost of
    a write. Published values are never modified after the write (a new value is a new object),
    so every monitored item can share the one instance.
    """

    __slots__ = ()

    def __deepcopy__(self, memo):
        return self


async def _notify(handle, callback, data_value):
    """Hand a written value to one monitored item, as asyncua's `datachange_callback` does.

    asyncua builds each item's notification empty and fills it afterwards; building the empty
    one (a default DataValue and Variant whose type is guessed from None) cost more than the
    rest of the write. This builds it with its values. Callbacks of any other kind, and an
    asyncua whose monitored item service looks different, take asyncua's own path.
    """
    service = getattr(callback, "__self__", None)
    if not isinstance(service, MonitoredItemService) or \
            getattr(callback, "__func__", None) is not MonitoredItemService.datachange_callback:
        await callback(handle, data_value)
        return
    try:
        mid = service._monitored_datachange[handle]
        item = service._monitored_items[mid]
        mode, item_filter, values = item.mode, item.filter, item.mvalue
        client_handle, queue_size = item.client_handle, item.queue_size
    except (AttributeError, KeyError):
        await callback(handle, data_value)
        return
    if mode == ua.MonitoringMode.Disabled:
        return
    values.set_current_datavalue(data_value)      # a _Published value: no copy
    if item_filter:
        passed = service._is_data_changed(values, item_filter.Trigger) and \
            service._is_deadband_exceeded(values, item_filter)
    else:
        passed = service._is_data_changed(values, ua.DataChangeTrigger.StatusValue)
    if passed:
        notification = ua.MonitoredItemNotification(ClientHandle=client_handle, Value=data_value)
        await service.isub.enqueue_datachange_event(mid, notification, queue_size)


class _Node(object):
    __slots__ = ("model", "member", "nodeid", "variant_type", "value", "status", "frozen")

    def __init__(self, model, member, nodeid, variant_type):
        self.model = model
        self.member = member
        self.nodeid = nodeid
        self.variant_type = variant_type
        self.value = None
        self.status = None
        self.frozen = False


class SimulatorServer(object):
    """The plant behind an OPC UA endpoint; an async context manager.

    Args:
        plant: a `simulator.plant.Plant`.
        endpoint: `opc.tcp://host:port`; tests bind 127.0.0.1 on a free port.
        security: a `Security` (default: policy None, anonymous).
        period: wall seconds between plant steps when `auto_step` is on.
        speed: plant seconds per wall second (10 = ten times faster than real time).
        auto_step: step the plant on wall time; off, the caller steps with `await tick(dt)`.
        seed: seed of the latency jitter.
        server_clock: keep the ServerStatus CurrentTime ticking (clients' watchdogs read it);
            off, the server stops at once instead of within a second (tests).
    """

    def __init__(self, plant, endpoint=DEFAULT_ENDPOINT, security=None, period=0.1, speed=1.0,
                 auto_step=True, seed=0, name="Genba Simulator", server_clock=True):
        self.plant = plant
        self.endpoint = endpoint
        self.security = security or Security()
        self.period = float(period)
        self.speed = float(speed)
        self.auto_step = auto_step
        self.name = name
        self.server_clock = server_clock
        self.server = None
        self.namespace_index = None
        self.nodes = {}                 # address -> _Node
        self.latency = 0.0
        self.jitter = 0.0
        self.clock_offset = datetime.timedelta(0)
        self.starts = 0
        self.paused = False
        self._dormant = None            # a killed server whose address space is kept
        self._rng = random.Random(seed)
        self._task = None
        self._lock = asyncio.Lock()
        for model, member in plant.members(provided_only=False):
            if member.address:
                self.nodes[member.address] = _Node(model, member, ua.NodeId.from_string(member.address),
                                                   self._variant_type(model, member))

    @staticmethod
    def _variant_type(model, member):
        if member.name in getattr(model, "counter_members", lambda: [])():
            return ua.VariantType.UInt32
        return VARIANT_TYPES.get(member.data_type, ua.VariantType.Variant)

    # ---- life cycle -----------------------------------------------------------------------
    async def __aenter__(self):
        await self.start()
        return self

    async def __aexit__(self, *exc):
        await self.stop()

    @property
    def running(self):
        return self.server is not None

    async def start(self):
        """Start the OPC UA endpoint and, with `auto_step`, the plant's stepping loop."""
        await self._start_server()
        if self.auto_step and self._task is None:
            self._task = asyncio.ensure_future(self._run())

    async def stop(self):
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
            self._task = None
        await self._stop_server()

    async def _start_server(self):
        if self.server is not None:
            return
        if self._dormant is not None:
            await self._listen_again()
            return
        server = Server(user_manager=_PasswordUsers(self.security.users) if self.security.users else None)
        await server.init()
        server.disable_clock(not self.server_clock)
        server.set_endpoint(self.endpoint)
        server.set_server_name(self.name)
        await server.set_application_uri(APPLICATION_URI)
        if self.security.policy == "None":
            server.set_security_policy([ua.SecurityPolicyType.NoSecurity])
        else:
            await server.load_certificate(self.security.certificate)
            await server.load_private_key(self.security.private_key)
            server.set_security_policy([ua.SecurityPolicyType.Basic256Sha256_SignAndEncrypt])
        server.set_identity_tokens([ua.UserNameIdentityToken] if self.security.users
                                   else [ua.AnonymousIdentityToken])
        if self.security.trusted is not None:
            server.set_certificate_validator(await self._trust_list_validator())
        self.namespace_index = await server.register_namespace(NAMESPACE_URI)
        await self._build_address_space(server)
        await server.start()
        self.server = server
        self.starts += 1
        _log.info("simulator serving %d nodes on %s", len(self.nodes), self.endpoint)

    async def _listen_again(self):
        server, self._dormant = self._dormant, None
        host, port = server._get_bind_socket_info()
        server.bserver = BinaryServer(server.iserver, host, port, server.limits)
        server.bserver.set_policies(server._policies)
        await server.bserver.start()
        self.server = server
        self.starts += 1
        await self.publish()

    async def _trust_list_validator(self):
        trusted = set()
        for path in self.security.trusted:
            trusted.add(fingerprint(await uacrypto.load_certificate(path)))

        async def validate(certificate, app_description):
            if fingerprint(certificate) not in trusted:
                _log.warning("rejected untrusted client certificate %s", certificate.subject.rfc4514_string())
                raise ua.UaStatusCodeError(ua.StatusCodes.BadCertificateUntrusted)
        return validate

    async def _build_address_space(self, server):
        idx = self.namespace_index
        folders, objects = {}, {}
        for address in sorted(self.nodes):
            node = self.nodes[address]
            if node.nodeid.NamespaceIndex != idx:
                raise ValueError("address %r is not in namespace %d (%s)" % (address, idx, NAMESPACE_URI))
            ident = node.nodeid.Identifier
            device, _, leaf = ident.rpartition(".")
            device = device or ident
            if device not in objects:
                parent = server.nodes.objects
                path = device.split(".")
                for depth in range(1, len(path)):
                    key = ".".join(path[:depth])
                    if key not in folders:
                        folders[key] = await parent.add_folder(ua.NodeId(key + "/", idx), path[depth - 1])
                    parent = folders[key]
                objects[device] = await parent.add_object(ua.NodeId(device, idx), path[-1])
            current = self._current_value(node)
            variable = await objects[device].add_variable(
                node.nodeid, leaf or ident, ua.Variant(current, node.variant_type))
            if node.member.writable:
                await variable.set_writable()
            node.value = current
            await server.write_attribute_value(node.nodeid, self._data_value(node, current))

    async def _stop_server(self):
        if self._dormant is not None:
            await self._dormant.stop()
            self._dormant = None
        server, self.server = self.server, None
        if server is None:
            return
        self._abort_transports(server)
        await server.stop()

    @staticmethod
    def _abort_transports(server):
        for transport in list(server.iserver.asyncio_transports):
            transport.abort()

    # ---- stepping and publishing ----------------------------------------------------------
    async def _run(self):
        loop = asyncio.get_event_loop()
        last = loop.time()
        while True:
            await asyncio.sleep(self.period)
            now = loop.time()
            await self.tick(0.0 if self.paused else (now - last) * self.speed)
            last = now

    def pause(self):
        """Stop stepping the plant (publishing of injected values and faults goes on)."""
        self.paused = True

    def resume(self):
        self.paused = False

    async def tick(self, dt):
        """Take client writes, step the plant `dt` seconds, publish what changed."""
        async with self._lock:
            self._take_writes()
            self.plant.step(dt)
            await self.publish()

    def _current_value(self, node):
        value = node.model.values().get(node.member.name)
        if value is None:
            value = DEFAULTS.get(node.member.data_type, 0)
        return value

    def _data_value(self, node, value, now=None):
        if now is None:
            now = datetime.datetime.now(datetime.timezone.utc)
        # Good is what an absent StatusCode means on the wire; leaving it out saves a third of
        # the encoding of every notification (clients decode it as Good).
        status = ua.StatusCode(node.status) if node.status is not None else None
        return _Published(ua.Variant(value, node.variant_type), StatusCode=status,
                          SourceTimestamp=now + self.clock_offset, ServerTimestamp=now)

    def _take_writes(self):
        if self.server is None:
            return
        for node in self.nodes.values():
            if not node.member.writable:
                continue
            written = self.server.read_attribute_value(node.nodeid).Value.Value
            if written != node.value:
                self.plant.write(node.member.address, written)
                node.value = written

    async def _write_nodes(self, changes):
        """Write [(node, value)] to the address space, one timestamp for the batch.

        Each value goes straight into the node's Value attribute and to the monitored items of
        every subscription (`_notify`); the loop yields every `_YIELD_EVERY` writes so that
        publish requests are answered during a large batch.
        """
        aspace = self.server.iserver.aspace
        now = datetime.datetime.now(datetime.timezone.utc)
        attribute = ua.AttributeIds.Value
        for count, (node, value) in enumerate(changes, 1):
            node.value = value
            data_value = self._data_value(node, value, now)
            stored = aspace.get(node.nodeid)
            stored = stored.attributes.get(attribute) if stored is not None else None
            if stored is None or stored.value_setter is not None or data_value.StatusCode is not None:
                await aspace.write_attribute_value(node.nodeid, attribute, data_value)
            else:
                stored.value = data_value
                stored.value_callback = None
                for handle, callback in list(stored.datachange_callbacks.items()):
                    await _notify(handle, callback, data_value)
            if count % _YIELD_EVERY == 0:
                await asyncio.sleep(0)
                now = datetime.datetime.now(datetime.timezone.utc)
        return len(changes)

    async def publish(self, force=False):
        """Write every changed (or, with `force`, every) model value to its node."""
        if self.server is None:
            return 0
        if self.latency or self.jitter:
            await asyncio.sleep(self.latency + self.jitter * self._rng.random())
        values = {}
        changes = []
        for node in self.nodes.values():
            if node.frozen:
                continue
            provided = values.get(id(node.model))
            if provided is None:
                provided = values[id(node.model)] = node.model.values()
            if node.member.name not in provided:
                continue
            value = provided[node.member.name]
            if value == node.value and not force:
                continue
            changes.append((node, value))
        if self.server is None:
            return 0
        return await self._write_nodes(changes)

    async def set_value(self, address, value):
        """Write `value` to one node now (benchmarks and tests drive nodes directly with it)."""
        await self.set_values([(address, value)])

    async def set_values(self, values):
        """Write many nodes now, as one batch: `values` is a dict or a list of (address, value).

        Returns how many were written (0 while the server is killed: nothing is written).
        """
        pairs = values.items() if isinstance(values, dict) else values
        changes = [(self.nodes[address], value) for address, value in pairs]
        if self.server is None:
            return 0
        return await self._write_nodes(changes)

    # ---- fault injection ------------------------------------------------------------------
    async def kill(self, hard=False):
        """The OPC UA server dies: every connection and session is gone, the port stops listening.

        By default the address space survives in memory so that `restart()` takes milliseconds
        (building asyncua's standard address space costs seconds); clients cannot tell the
        difference: their sessions and subscriptions are gone either way. `hard=True` throws
        the whole server away and builds a new one on restart.
        """
        server = self.server
        if server is None:
            return
        if hard:
            await self._stop_server()
            return
        self.server = None
        self._abort_transports(server)
        if server.bserver is not None:
            await server.bserver.stop()
            server.bserver = None
        # asyncua keeps activated sessions by authentication token; close them with their subscriptions.
        for session in list(getattr(server.iserver, "_external_sessions", {}).values()):
            await session.close_session(True)
        self._dormant = server

    async def restart(self, downtime=0.0, hard=False):
        """Kill the server, wait `downtime` wall seconds, start it again (the plant kept running)."""
        await self.kill(hard)
        if downtime:
            await asyncio.sleep(downtime)
        await self._start_server()

    def drop_connections(self):
        """Cut every client connection; the server keeps listening."""
        if self.server is not None:
            self._abort_transports(self.server)

    def freeze(self, addresses=None):
        """Stop updating these nodes (all if None): clients see stale values with old timestamps."""
        for node in self._select(addresses):
            node.frozen = True

    def unfreeze(self, addresses=None):
        for node in self._select(addresses):
            node.frozen = False

    async def set_status(self, addresses, status="BadSensorFailure"):
        """Publish these nodes with a status code (name in ua.StatusCodes, or int); None = Good."""
        code = getattr(ua.StatusCodes, status) if isinstance(status, str) else status
        # while killed, the dormant address space takes the status: it is what a restart serves
        server = self.server if self.server is not None else self._dormant
        for node in self._select(addresses):
            node.status = code
            if server is not None:
                await server.write_attribute_value(node.nodeid, self._data_value(node, node.value))

    def counter_reset(self, machine):
        """PLC restart of one machine (path or name): its counters go to 0."""
        self.plant.machine(machine).restart()

    def jump_clock(self, seconds):
        """Shift the source timestamps by `seconds` (negative = backwards), as a PLC clock jump."""
        self.clock_offset += datetime.timedelta(seconds=seconds)

    def set_latency(self, seconds, jitter=0.0):
        """Delay every publish by `seconds` plus up to `jitter` seconds (seeded)."""
        self.latency = float(seconds)
        self.jitter = float(jitter)

    def _select(self, addresses):
        if addresses is None:
            return list(self.nodes.values())
        if isinstance(addresses, str):
            addresses = [addresses]
        return [self.nodes[a] for a in addresses]
