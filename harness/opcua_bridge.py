"""OPC UA bridge: a gateway's OPC tags fed by a real OPC UA server through an asyncua client.

    bridge = OpcUaBridge(gw, "opc.tcp://127.0.0.1:4840").start()
    bridge.wait_connected(10)
    bridge.pump()          # on the gateway's thread: queued values land as tag updates

Threads. asyncua runs on an asyncio loop in a background thread; the harness Gateway is
single-threaded. Values therefore cross over through a thread-safe queue that the gateway's
thread drains with `pump()` (or `schedule(period)`, which pumps on the gateway clock). Writes go
the other way: the bridge is the device of its OPC server name in the tag runtime
(`tags.attach_device`), so a script's write of an OPC tag blocks until the server answered and
returns the mapped quality.

Subscriptions. The OPC tags whose `opcServer` is this bridge's server name are grouped by tag group
(`tagGroup`, default "Default"; tags sharing an address share one monitored item at the faster
rate); each group rate is one subscription with the group's rate as
publishing interval and sampling interval, monitored items with queue size 1 (latest value wins,
like Ignition's subscribed mode). The data changes of one publish response reach the gateway's
queue as one batch, and the client keeps two publish requests at the server.

Quality, decided once:
- a Good status lands as Good with the value;
- Uncertain* lands as Uncertain, Bad* as Bad (BadNodeIdUnknown as Bad_NotFound, access denied as
  Bad_AccessDenied); a bad reading keeps the tag's last known value, as a gateway does;
- link loss (connection lost, watchdog timeout, server gone, or no connection at start) sets every
  tag of the connection to Bad_NotConnected with its last known value; on reconnect every monitored item's first
  notification brings the current value back as Good. Uncertain_LastKnownValue is not used: a
  script should not trust a value the gateway cannot vouch for, and Bad_NotConnected is what
  Ignition shows for a dropped OPC connection.
Timestamps: with a virtual gateway clock the gateway time of the pump is used (device wall time
means nothing to a replay); with the wall clock the OPC source timestamp (naive UTC).

Reconnects. asyncua's own reconnect can hang, so after any loss the client is dropped and a fresh
one connects, subscribes and resumes, retrying every `reconnect_delay` seconds. A watchdog reads
the server state every `watchdog` seconds; no answer within the watchdog time counts as a loss,
unless a publish response arrived within that time (a busy link is not a lost one).
"""
from __future__ import annotations

import asyncio
import concurrent.futures
import datetime
import logging
import queue
import threading
import time

from asyncua import Client, ua
from asyncua.common.subscription import Subscription
from asyncua.crypto.security_policies import SecurityPolicyBasic256Sha256

from .core.quality import QualityCode

__all__ = ["BridgeSecurity", "DEFAULT_RATES", "OpcUaBridge", "quality_of_status"]

DEFAULT_RATES = {"Default": 1000, "Fast": 250}
_log = logging.getLogger("genba.opcua_bridge")
_BATCH = 500
_PUBLISH_REQUESTS = 2   # publish requests the client keeps at the server (asyncua alone keeps one)


def quality_of_status(status):
    """The Ignition QualityCode for an OPC UA StatusCode (or its integer value)."""
    code = status.value if hasattr(status, "value") else int(status)
    if code == ua.StatusCodes.Good or (code >> 30) == 0:
        return QualityCode.Good
    if code == ua.StatusCodes.BadNodeIdUnknown:
        return QualityCode.Bad_NotFound
    if code in (ua.StatusCodes.BadUserAccessDenied, ua.StatusCodes.BadNotReadable):
        return QualityCode.Bad_AccessDenied
    if code in (ua.StatusCodes.BadNotConnected, ua.StatusCodes.BadServerNotConnected,
                ua.StatusCodes.BadCommunicationError, ua.StatusCodes.BadNoCommunication):
        return QualityCode.Bad_NotConnected
    if (code >> 30) == 1:
        return QualityCode.Uncertain
    return QualityCode.Bad


class BridgeSecurity(object):
    """Client side of Basic256Sha256 SignAndEncrypt and/or a user name.

    Args:
        certificate, private_key: client certificate (DER/PEM) and key (PEM) paths; both or neither.
        server_certificate: the server's certificate path (pinned); None = take it from the endpoint.
        username, password: user identity; None = anonymous.
        application_uri: must equal the URI in the client certificate.
    """

    def __init__(self, certificate=None, private_key=None, server_certificate=None, username=None,
                 password=None, application_uri="urn:genba:harness:bridge"):
        self.certificate = certificate
        self.private_key = private_key
        self.server_certificate = server_certificate
        self.username = username
        self.password = password
        self.application_uri = application_uri

    async def apply(self, client):
        client.application_uri = self.application_uri
        if self.username is not None:
            client.set_user(self.username)
            client.set_password(self.password or "")
        if self.certificate:
            await client.set_security(SecurityPolicyBasic256Sha256, self.certificate, self.private_key,
                                      server_certificate=self.server_certificate,
                                      mode=ua.MessageSecurityMode.SignAndEncrypt)


class _Item(object):
    """One monitored node and the tags that read it (two tags may share an address)."""

    __slots__ = ("tags", "nodeid", "rate", "last")

    def __init__(self, nodeid, rate):
        self.tags = []
        self.nodeid = nodeid
        self.rate = rate
        self.last = None


class _Subscription(Subscription):
    """An asyncua subscription that hands each publish's data changes to the bridge as one batch.

    asyncua's own subscription starts one task per changed item and calls the handler from it;
    here a publish of a thousand changes is one call and one entry of the gateway's queue.
    Status changes (subscription lost) go to the handler as usual.
    """

    def __init__(self, session, params, handler):
        Subscription.__init__(self, session, params, handler)
        self.bridge_handler = handler

    async def publish_callback(self, publish_result):
        self.last_publish_at = time.monotonic()
        self.bridge_handler.published()
        message = publish_result.NotificationMessage
        if message.NotificationData is None:
            return
        self.last_sequence_number = int(message.SequenceNumber)
        for notification in message.NotificationData:
            if isinstance(notification, ua.DataChangeNotification):
                changes = []
                for item in notification.MonitoredItems:
                    data = self._monitored_items.get(item.ClientHandle)
                    if data is not None and data.node is not None:
                        changes.append((data.node.nodeid, item.Value))
                self.bridge_handler.datachanges(changes)
            elif isinstance(notification, ua.StatusChangeNotification):
                self.bridge_handler.status_change_notification(notification)


class _Handler(object):
    """What a `_Subscription` reports to its bridge; runs on the loop thread, only enqueues."""

    def __init__(self, bridge, generation):
        self.bridge = bridge
        self.generation = generation

    def published(self):
        """A publish response (data or keep-alive) arrived."""
        self.bridge._published(self.generation)

    def datachanges(self, changes):
        """[(NodeId, DataValue)] of one publish."""
        self.bridge._received(self.generation, changes)

    def status_change_notification(self, status):
        self.bridge._lost("subscription status %s" % (status,), self.generation)


class OpcUaBridge(object):
    """Feeds the OPC tags of one OPC server connection of a harness Gateway from a real server.

    Args:
        gateway: a harness Gateway (its `tags`, `clock`, `settle()` are used).
        endpoint: `opc.tcp://host:port` of the server.
        server: the connection name the tags use in `opcServer` (default "Genba Simulator").
        rates: {tag group: milliseconds}; unknown groups use "Default".
        security: a BridgeSecurity, or None (no security, anonymous).
        watchdog: seconds between server-state reads; a read not answered in that time is a loss.
        reconnect_delay: seconds between connection attempts.
        write_timeout: seconds a write from a script waits for the server.
    """

    def __init__(self, gateway, endpoint, server="Genba Simulator", rates=None, security=None,
                 watchdog=1.0, reconnect_delay=0.5, write_timeout=5.0):
        self.gateway = gateway
        self.tags = gateway.tags
        self.endpoint = endpoint
        self.server = server
        self.rates = dict(DEFAULT_RATES)
        self.rates.update(rates or {})
        self.security = security
        self.watchdog = watchdog
        self.reconnect_delay = reconnect_delay
        self.write_timeout = write_timeout
        self.use_source_time = not getattr(gateway.clock, "virtual", True)
        self.items = {}                # nodeid -> _Item
        for tag in self.tags.atomic_tags():
            config = tag.node.config
            if config.get("valueSource") != "opc" or config.get("opcServer") != server:
                continue
            address = config.get("opcItemPath")
            if not address:
                continue
            nodeid = ua.NodeId.from_string(address)
            rate = self.rates.get(config.get("tagGroup") or "Default", self.rates["Default"])
            item = self.items.get(nodeid)
            if item is None:
                item = self.items[nodeid] = _Item(nodeid, rate)
            item.rate = min(item.rate, rate)
            item.tags.append(tag)
        self.connected = threading.Event()
        self.connections = 0           # successful connects so far
        self.losses = 0
        self.last_error = None
        self._queue = queue.SimpleQueue()
        self._generation = 0
        self._loss = None
        self._client = None
        self._loop = None
        self._thread = None
        self._task = None
        self._stopping = False
        self._pump_handle = None
        self._variant_types = {}       # nodeid -> VariantType learnt on the first write
        self._marked = False           # tags already set to Bad_NotConnected for this outage
        self._publishers = []          # extra publish loops of the current client
        self._last_publish = 0.0       # monotonic time of the last publish response

    # ---- life cycle (gateway thread) ------------------------------------------------------
    def start(self):
        """Start the loop thread and connect; also become the device for writes of these tags."""
        if self._thread is not None:
            return self
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="genba-opcua-bridge",
                                        daemon=True)
        self._thread.start()
        self._task = asyncio.run_coroutine_threadsafe(self._supervise(), self._loop)
        self.tags.attach_device(self.server, self)
        return self

    def stop(self):
        """Disconnect and stop the loop thread; tags keep their last values."""
        if self._thread is None:
            return
        self.tags.detach_device(self.server)
        if self._pump_handle is not None:
            self._pump_handle.cancel()
            self._pump_handle = None
        self._stopping = True

        async def finish():
            if self._loss is not None and not self._loss.done():
                self._loss.set_result("stopped")

        asyncio.run_coroutine_threadsafe(finish(), self._loop).result(5)
        try:
            self._task.result(3)
        except concurrent.futures.TimeoutError:
            self._task.cancel()  # stuck in a connect attempt: abandon it
        except Exception as error:  # noqa: BLE001 - shutting down
            _log.debug("bridge supervisor ended with %r", error)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)
        self._loop.close()
        self._thread = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        return False

    def wait_connected(self, timeout=10.0):
        """Block until connected and subscribed; False on timeout."""
        return self.connected.wait(timeout)

    # ---- values into the gateway (gateway thread) -----------------------------------------
    def pump(self, limit=None):
        """Land queued values as tag updates, run the resulting events; returns how many landed.

        The queue holds one batch per publish; `limit` is checked between batches.
        """
        landed = 0
        update = self.tags.update
        while limit is None or landed < limit:
            try:
                batch = self._queue.get_nowait()
            except queue.Empty:
                break
            for tag, value, quality, timestamp in batch:
                update(tag, value, quality, timestamp)
            landed += len(batch)
        if landed:
            self.gateway.settle()
        return landed

    def pump_until(self, predicate, timeout=10.0, interval=0.01):
        """Pump until `predicate()` is true; False if `timeout` wall seconds pass first."""
        deadline = time.monotonic() + timeout
        while True:
            self.pump()
            if predicate():
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(interval)

    def schedule(self, period=0.05):
        """Pump every `period` seconds of the gateway clock (for a gateway on the wall clock)."""
        def tick():
            self.pump()
            self._pump_handle = self.gateway.clock.call_later(period, tick)
        self._pump_handle = self.gateway.clock.call_later(period, tick)
        return self

    # ---- writes (gateway thread) ----------------------------------------------------------
    def write(self, item_path, value, node=None):
        """Device write from the tag runtime: write to the server, return the mapped QualityCode."""
        if self._thread is None or not self.connected.is_set():
            return QualityCode.Bad_NotConnected
        nodeid = ua.NodeId.from_string(item_path)
        future = asyncio.run_coroutine_threadsafe(self._write(nodeid, value), self._loop)
        try:
            return future.result(self.write_timeout)
        except concurrent.futures.TimeoutError:
            future.cancel()
            return QualityCode.Error_TimeoutExpired
        except ua.UaStatusCodeError as error:
            return quality_of_status(error.code)
        except Exception as error:  # noqa: BLE001 - any transport failure is a failed write
            return QualityCode.Bad_Failure.derive("write of %r failed: %s" % (item_path, error))

    async def _write(self, nodeid, value):
        client = self._client
        if client is None:
            return QualityCode.Bad_NotConnected
        node = client.get_node(nodeid)
        variant_type = self._variant_types.get(nodeid)
        if variant_type is None:
            variant_type = self._variant_types[nodeid] = await node.read_data_type_as_variant_type()
        await node.write_value(ua.DataValue(ua.Variant(value, variant_type)))
        return QualityCode.Good

    # ---- loop thread ----------------------------------------------------------------------
    def _received(self, generation, changes):
        """[(NodeId, DataValue)] of one publish -> one batch of tag updates in the queue."""
        if generation != self._generation:
            return
        batch = []
        items = self.items
        use_source_time = self.use_source_time
        for nodeid, data_value in changes:
            item = items.get(nodeid)
            if item is None:
                continue
            status = data_value.StatusCode
            if status is None or status.value == 0:
                quality = QualityCode.Good
            else:
                quality = quality_of_status(status)
            if quality.isGood():
                value = data_value.Value.Value if data_value.Value is not None else None
                item.last = value
            else:
                value = item.last
            timestamp = None
            if use_source_time:
                stamp = data_value.SourceTimestamp or data_value.ServerTimestamp
                if stamp is not None and stamp.tzinfo is not None:
                    stamp = stamp.astimezone(datetime.timezone.utc).replace(tzinfo=None)
                timestamp = stamp
            for tag in item.tags:
                batch.append((tag, value, quality, timestamp))
        if batch:
            self._queue.put(batch)

    def _published(self, generation):
        if generation == self._generation:
            self._last_publish = time.monotonic()

    def _lost(self, reason, generation=None):
        if generation is not None and generation != self._generation:
            return
        if self._loss is not None and not self._loss.done():
            self._loss.set_result(reason)

    def _mark_not_connected(self):
        self._queue.put([(tag, item.last, QualityCode.Bad_NotConnected, None)
                         for item in self.items.values() for tag in item.tags])

    async def _supervise(self):
        loop = asyncio.get_running_loop()
        while not self._stopping:
            self._generation += 1
            self._loss = loop.create_future()
            # The bridge's own watchdog judges the link (and lets a busy one live); asyncua's
            # probe, which would call a link lost after one late answer, only backs it up.
            client = Client(self.endpoint, timeout=max(2.0, self.watchdog * 2),
                            watchdog_intervall=max(60.0, self.watchdog * 10))
            client.session_timeout = 30000
            reason = None
            try:
                if self.security is not None:
                    await self.security.apply(client)
                await asyncio.wait_for(client.connect(), timeout=max(5.0, self.watchdog * 4))
                self._client = client
                await self._subscribe(client, self._generation)
                self.connections += 1
                self._marked = False
                self.connected.set()
                _log.info("bridge connected to %s (%d tags)", self.endpoint, len(self.items))
                reason = await self._watch(client)
            except asyncio.CancelledError:
                raise
            except Exception as error:  # noqa: BLE001 - any failure means: new client, try again
                reason = "%s: %s" % (type(error).__name__, error)
            self.last_error = reason
            was_connected = self.connected.is_set()
            self.connected.clear()
            self._client = None
            self._generation += 1          # late notifications of the old client are dropped
            if not self._stopping:
                if was_connected:
                    self.losses += 1
                    _log.warning("bridge lost %s: %s", self.endpoint, reason)
                if not self._marked:         # once per outage, also when the first connect fails
                    self._mark_not_connected()
                    self._marked = True
            for task in self._publishers:
                task.cancel()
            self._publishers = []
            await self._drop(client)
            if not self._stopping:
                await asyncio.sleep(self.reconnect_delay)

    async def _subscribe(self, client, generation):
        groups = {}
        for item in self.items.values():
            groups.setdefault(item.rate, []).append(item)
        handler = _Handler(self, generation)
        for rate in sorted(groups):
            subscription = _Subscription(
                client.uaclient.session,
                ua.CreateSubscriptionParameters(RequestedPublishingInterval=rate, RequestedLifetimeCount=600,
                                                RequestedMaxKeepAliveCount=10, MaxNotificationsPerPublish=0,
                                                PublishingEnabled=True, Priority=0),
                handler)
            await subscription.init()
            nodes = [client.get_node(item.nodeid) for item in groups[rate]]
            for start in range(0, len(nodes), _BATCH):
                await subscription.subscribe_data_change(nodes[start:start + _BATCH], queuesize=1,
                                                         sampling_interval=rate)
        # With a single publish request, a subscription whose publishing interval comes while the
        # client is still decoding the last response waits for the next request, and a value
        # that changes meanwhile replaces the queued one. A second request is ready at the server.
        publish_loop = getattr(client.uaclient.session, "_publish_loop", None)
        if publish_loop is not None:
            for _ in range(_PUBLISH_REQUESTS - 1):
                self._publishers.append(asyncio.ensure_future(publish_loop()))

    async def _watch(self, client):
        state = client.get_node(ua.NodeId(ua.ObjectIds.Server_ServerStatus_State))
        while not self._stopping:
            try:
                return await asyncio.wait_for(asyncio.shield(self._loss), timeout=self.watchdog)
            except asyncio.TimeoutError:
                pass
            try:
                await asyncio.wait_for(state.read_value(), timeout=self.watchdog)
            except asyncio.CancelledError:
                raise
            except asyncio.TimeoutError:
                # A server (or a client) busy with large publishes answers late; the link is
                # alive as long as publish responses keep coming.
                if time.monotonic() - self._last_publish > self.watchdog:
                    return "watchdog: TimeoutError"
            except Exception as error:  # noqa: BLE001
                return "watchdog: %s" % (type(error).__name__,)
        return "stopped"

    @staticmethod
    async def _drop(client):
        try:
            await asyncio.wait_for(client.disconnect(), timeout=1.0)
        except Exception:  # noqa: BLE001 - the old client is thrown away either way
            try:
                client.disconnect_socket()
            except Exception:  # noqa: BLE001
                pass
