"""Helpers for tests that run the simulator over loopback sockets (CPython)."""
from __future__ import annotations

import asyncio
import socket

__all__ = ["LoopThread", "ServedSimulator", "free_endpoint", "free_port", "run_async"]


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
    finally:
        probe.close()


def free_endpoint():
    """`opc.tcp://127.0.0.1:<free port>`."""
    return "opc.tcp://127.0.0.1:%d" % free_port()


def run_async(coroutine, timeout=60.0):
    """Run `coroutine` to completion on a fresh event loop, failing after `timeout` seconds."""
    return asyncio.run(asyncio.wait_for(coroutine, timeout))


class LoopThread(object):
    """An asyncio event loop running in a daemon thread; `run(coroutine)` waits for its result.

    Lets a module-scoped server outlive single tests (starting an asyncua server costs seconds).
    """

    def __init__(self):
        import threading
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="genba-test-loop", daemon=True)
        self.thread.start()

    def run(self, coroutine, timeout=60.0):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def close(self):
        """Cancel what still runs on the loop (asyncua leaves session timers behind), then stop it."""
        async def cancel_the_rest():
            tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

        try:
            self.run(cancel_the_rest(), timeout=10)
        except Exception:  # noqa: BLE001 - closing anyway
            pass
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()


class ServedSimulator(object):
    """A SimulatorServer on its own loop thread, for synchronous tests and fixtures.

        with ServedSimulator(load_plant("project", profile="ideal"), auto_step=False) as served:
            served.call(served.server.tick(10.0))
            bridge = OpcUaBridge(gw, served.endpoint).start()

    Keyword arguments go to SimulatorServer; the endpoint defaults to a free loopback port and the
    server clock to off (a stop then takes no second).
    """

    def __init__(self, plant, endpoint=None, **options):
        from simulator.opcua_server import SimulatorServer
        options.setdefault("server_clock", False)
        self.server = SimulatorServer(plant, endpoint or free_endpoint(), **options)
        self.endpoint = self.server.endpoint
        self.thread = None

    def call(self, coroutine, timeout=60.0):
        """Run a coroutine (e.g. `server.kill()`) on the server's loop and return its result."""
        return self.thread.run(coroutine, timeout)

    def __enter__(self):
        self.thread = LoopThread()
        self.call(self.server.start(), timeout=300)
        return self

    def __exit__(self, *exc):
        try:
            self.call(self.server.stop())
        finally:
            self.thread.close()
        return False
