"""Helpers for tests that run the simulator over loopback sockets (CPython)."""
from __future__ import annotations

import asyncio
import socket

__all__ = ["LoopThread", "free_endpoint", "free_port", "run_async"]


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
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()
