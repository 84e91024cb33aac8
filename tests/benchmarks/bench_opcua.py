"""Benchmark: OPC UA server write -> harness tag event, through the bridge, next to a raw asyncua client.

N OPC tags (Int8) are served by the simulator's OPC UA server in a child process; every node gets a
new value R times a second (the table shows the rate the server achieved). Two subscribers take the same nodes in the same run: the harness bridge (asyncua client
on its own loop thread -> queue -> `pump()` on the gateway thread -> tag update -> tag listener)
and, as the baseline, a raw asyncua client on its own loop thread whose handler records the
arrival. Both use a publishing interval of half the update period and monitored items with
queue size 1. Latency = arrival time minus the time just before the server write (CLOCK_MONOTONIC,
shared by the processes of one machine). Delivered = (tag, value) pairs seen / pairs written.
Targets: delivered_pct >= 99.5, p99_ratio_vs_raw <= 1.2.

    python tests/benchmarks/bench_opcua.py [--quick | --full]

Default: 1,000 tags at 10 Hz. --full adds 10,000 tags at 1 Hz. --quick: 200 tags at 10 Hz.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))

from asyncua import Client, ua  # noqa: E402

from harness import Gateway  # noqa: E402
from harness.opcua_bridge import OpcUaBridge  # noqa: E402
from simulator.opcua_server import SimulatorServer  # noqa: E402
from simulator.plant import MachineSpec, MemberSpec, Plant  # noqa: E402
from simulator.testing import LoopThread, free_endpoint  # noqa: E402

PER_MACHINE = 10
PER_GROUP = 50


def layout(count):
    """(tag path, address) of `count` tags: 10 per machine object, 50 machines per folder."""
    tags = []
    for index in range(count):
        machine = index // PER_MACHINE
        group = machine // PER_GROUP
        name = "V%d" % (index % PER_MACHINE)
        path = "[default]Bench/G%03d/M%04d/%s" % (group, machine, name)
        tags.append((path, "ns=2;s=Bench.G%03d.M%04d.%s" % (group, machine, name)))
    return tags


def write_project(tags):
    project = tempfile.mkdtemp(prefix="genba-bench-opcua-")
    os.makedirs(os.path.join(project, "tags", "default"))
    folders = {}
    for path, address in tags:
        parts = path.split("]", 1)[1].split("/")
        folders.setdefault(parts[1], {}).setdefault(parts[2], []).append(
            {"name": parts[3], "tagType": "AtomicTag", "valueSource": "opc", "dataType": "Int8",
             "opcServer": "Genba Simulator", "opcItemPath": address})
    root = {"name": "Bench", "tagType": "Folder", "tags": [
        {"name": g, "tagType": "Folder", "tags": [
            {"name": m, "tagType": "Folder", "tags": members} for m, members in sorted(machines.items())]}
        for g, machines in sorted(folders.items())]}
    with open(os.path.join(project, "tags", "default", "bench.json"), "w") as handle:
        json.dump(root, handle)
    return project


def make_plant(tags):
    machines = {}
    for path, address in tags:
        machine_path = path.rsplit("/", 1)[0]
        machines.setdefault(machine_path, []).append(
            MemberSpec(path.rsplit("/", 1)[1], path, address, "Genba Simulator", "Int8"))
    return Plant([MachineSpec(p, "Machine", {}, m) for p, m in sorted(machines.items())], profile="ideal")


class RawClient(object):
    """Baseline: a plain asyncua client subscribed to the same nodes, on its own loop thread."""

    def __init__(self, endpoint, addresses, interval_ms):
        self.endpoint = endpoint
        self.addresses = addresses
        self.interval_ms = interval_ms
        self.arrivals = {}
        self.status_changes = []
        self.thread = LoopThread()
        self.client = None

    def datachange_notification(self, node, value, data):
        self.arrivals[(node.nodeid.Identifier, value)] = time.perf_counter()

    def status_change_notification(self, status):
        self.status_changes.append(status)

    async def _start(self):
        self.client = Client(self.endpoint, timeout=30)
        await self.client.connect()
        subscription = await self.client.create_subscription(self.interval_ms, self)
        nodes = [self.client.get_node(a) for a in self.addresses]
        for start in range(0, len(nodes), 500):
            await subscription.subscribe_data_change(nodes[start:start + 500], queuesize=1,
                                                     sampling_interval=self.interval_ms)

    def start(self):
        self.thread.run(self._start(), timeout=300)

    def stop(self):
        self.thread.run(self.client.disconnect())
        self.thread.close()


def percentile(values, fraction):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def serve(count, rate_hz, seconds, endpoint, times_file):
    """Child process: serve the nodes, wait for "go" on stdin, write the rounds, save write times."""
    tags = layout(count)
    addresses = [a for _, a in tags]

    async def session():
        sim = SimulatorServer(make_plant(tags), endpoint, auto_step=False, server_clock=False)
        async with sim:
            print("ready", flush=True)
            loop = asyncio.get_running_loop()
            await loop.run_in_executor(None, sys.stdin.readline)
            written = []
            start = loop.time()
            for k in range(1, int(seconds * rate_hz) + 1):
                for index, address in enumerate(addresses):
                    written.append((address, k, time.perf_counter()))
                    await sim.set_value(address, k)
                    if index % 100 == 99:
                        await asyncio.sleep(0)  # let the server answer publish requests mid-round
                await asyncio.sleep(max(0.0, start + k / rate_hz - loop.time()))
            elapsed = loop.time() - start
            with open(times_file, "w") as handle:
                json.dump({"written": written, "elapsed": elapsed}, handle)
            print("done", flush=True)
            await loop.run_in_executor(None, sys.stdin.readline)

    asyncio.run(session())


def run_case(count, rate_hz, seconds):
    tags = layout(count)
    addresses = [a for _, a in tags]
    identifier = dict((a, a.split(";s=", 1)[1]) for a in addresses)
    path_of = dict((a, p) for p, a in tags)
    interval_ms = 500.0 / rate_hz
    project = write_project(tags)
    endpoint = free_endpoint()
    times_file = os.path.join(project, "written.json")
    child = subprocess.Popen([sys.executable, os.path.abspath(__file__), "--serve", str(count), str(rate_hz),
                              str(seconds), endpoint, times_file],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    gateway = Gateway(project=project)
    arrivals = {}

    def on_change(path, previous, current, changes, initial):
        if "value" in changes and current.quality.isGood():
            arrivals[(str(path), current.value)] = time.perf_counter()

    gateway.tags.subscribe([p for p, _ in tags], on_change)
    bridge = raw = None
    try:
        if child.stdout.readline().strip() != "ready":
            raise SystemExit("the server process did not start")
        bridge = OpcUaBridge(gateway, endpoint, rates={"Default": interval_ms}, watchdog=5.0).start()
        if not bridge.wait_connected(300):
            raise SystemExit("bridge did not connect: %s" % bridge.last_error)
        raw = RawClient(endpoint, addresses, interval_ms)
        raw.start()
        bridge.pump_until(lambda: False, 1.0)
        child.stdin.write("go\n")
        child.stdin.flush()
        finished = threading.Event()
        threading.Thread(target=lambda: (child.stdout.readline(), finished.set()), daemon=True).start()
        while not finished.is_set():
            bridge.pump()
            time.sleep(0.001)
        bridge.pump_until(lambda: False, 3.0)  # let the last notifications arrive
        with open(times_file) as handle:
            record = json.load(handle)
    finally:
        if bridge is not None:
            bridge.stop()
        if raw is not None:
            raw.stop()
        child.communicate("stop\n", timeout=60)
        gateway.shutdown()
        shutil.rmtree(project, ignore_errors=True)

    bridge_lat, raw_lat = [], []
    for address, k, t_write in record["written"]:
        t_bridge = arrivals.get((path_of[address], k))
        if t_bridge is not None:
            bridge_lat.append((t_bridge - t_write) * 1000.0)
        t_raw = raw.arrivals.get((identifier[address], k))
        if t_raw is not None:
            raw_lat.append((t_raw - t_write) * 1000.0)
    total = len(record["written"])
    return {
        "tags": count, "rate_hz": rate_hz, "written": total,
        "achieved_hz": round(total / count / record["elapsed"], 2),
        "delivered_pct": round(100.0 * len(bridge_lat) / total, 2),
        "raw_delivered_pct": round(100.0 * len(raw_lat) / total, 2),
        "p50_ms": round(percentile(bridge_lat, 0.50), 1), "p99_ms": round(percentile(bridge_lat, 0.99), 1),
        "raw_p50_ms": round(percentile(raw_lat, 0.50), 1), "raw_p99_ms": round(percentile(raw_lat, 0.99), 1),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_true", help="200 tags at 10 Hz for 3 s (well under a minute)")
    size.add_argument("--full", action="store_true", help="also 10,000 tags at 1 Hz")
    parser.add_argument("--serve", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        count, rate_hz, seconds, endpoint, times_file = args.serve
        serve(int(count), float(rate_hz), float(seconds), endpoint, times_file)
        return
    logging.basicConfig(level=logging.ERROR)
    if args.quick:
        cases = [(200, 10.0, 3.0)]
    else:
        cases = [(1000, 10.0, 10.0)]
        if args.full:
            cases.append((10000, 1.0, 20.0))
    results = [run_case(*case) for case in cases]
    print("%-22s %9s %10s %10s %9s %9s %10s %10s" % ("case", "achieved", "delivered", "raw deliv", "p50 ms",
                                                        "p99 ms", "raw p50", "raw p99"))
    for r in results:
        print("%-22s %7.2fHz %9.2f%% %9.2f%% %9.1f %9.1f %10.1f %10.1f" % (
            "%d tags @ %g Hz" % (r["tags"], r["rate_hz"]), r["achieved_hz"], r["delivered_pct"],
            r["raw_delivered_pct"], r["p50_ms"], r["p99_ms"], r["raw_p50_ms"], r["raw_p99_ms"]))
    main_case = results[0]
    figures = {
        "bench": "opcua",
        "delivered_pct": min(r["delivered_pct"] for r in results),
        "p99_ms": main_case["p99_ms"],
        "p99_ratio_vs_raw": round(max(r["p99_ms"] / r["raw_p99_ms"] for r in results), 2),
        "cases": results,
        "target": "delivered_pct >= 99.5 and p99_ratio_vs_raw <= 1.2",
    }
    print(json.dumps(figures, sort_keys=True))


if __name__ == "__main__":
    main()
