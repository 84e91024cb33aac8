"""`genba sim`: serve the plant of the project's tag model as an OPC UA server (the plant simulator)."""
from __future__ import annotations

import asyncio
import json
import os
import sys

from simulator.opcua_server import APPLICATION_URI, DEFAULT_ENDPOINT, Security, SimulatorServer
from simulator.plant import PROFILES, load_plant


def add_parser(subparsers):
    parser = subparsers.add_parser(
        "sim", help="run the OPC UA plant simulator built from the project's tag model",
        description="Serve every OPC tag of the project's tag model (project/tags) from simulated "
                    "machines on an OPC UA endpoint, until interrupted or --duration. "
                    "Example: genba sim --endpoint opc.tcp://127.0.0.1:4840 --seed 7 --speed 10")
    parser.add_argument("--endpoint", default=DEFAULT_ENDPOINT,
                        help="opc.tcp://host:port to listen on (default %(default)s; loopback only)")
    parser.add_argument("--project", default="project", help="project folder (default %(default)s)")
    parser.add_argument("--seed", type=int, default=0, help="plant seed (default %(default)s)")
    parser.add_argument("--speed", type=float, default=1.0,
                        help="plant seconds per wall second (default %(default)s)")
    parser.add_argument("--profile", choices=sorted(PROFILES), default="realistic",
                        help="machine behaviour: losses and faults, or none (default %(default)s)")
    parser.add_argument("--duration", type=float, default=None,
                        help="stop after this many wall seconds (default: run until Ctrl-C)")
    parser.add_argument("--policy", choices=("None", "Basic256Sha256"), default="None",
                        help="endpoint security; Basic256Sha256 is SignAndEncrypt (default %(default)s)")
    parser.add_argument("--cert", help="server certificate (DER); with --policy Basic256Sha256 and no "
                                       "--cert, a throw-away one is made in --pki")
    parser.add_argument("--key", help="server private key (PEM)")
    parser.add_argument("--pki", default="var/sim-pki", help="folder for throw-away certificates")
    parser.add_argument("--user", action="append", default=[], metavar="NAME:PASSWORD",
                        help="accepted user (repeatable); with users, anonymous sessions are refused")
    parser.add_argument("--trust", action="append", default=None, metavar="CERT",
                        help="trusted client certificate (repeatable); others are rejected")
    parser.add_argument("--json", action="store_true", help="at the end print one JSON document of totals")
    parser.set_defaults(func=run)


def _security(args):
    users = {}
    for entry in args.user:
        name, sep, password = entry.partition(":")
        if not sep or not name:
            raise ValueError("--user takes NAME:PASSWORD, got %r" % (entry,))
        users[name] = password
    cert, key = args.cert, args.key
    if args.policy != "None" and not cert:
        from simulator.certs import make_certificate
        cert, key = make_certificate(args.pki, "genba-sim", APPLICATION_URI)
        print("genba sim: server certificate %s (trust it in the client)" % os.path.abspath(cert),
              file=sys.stderr)
    return Security(args.policy, cert, key, users=users or None, trusted=args.trust)


async def _serve(server, duration):
    async with server:
        print("genba sim: %d nodes on %s (namespace urn:genba:simulator)" % (len(server.nodes), server.endpoint),
              file=sys.stderr)
        if duration is None:
            while True:
                await asyncio.sleep(3600)
        await asyncio.sleep(duration)


def run(args):
    try:
        security = _security(args)
    except ValueError as error:
        print("genba sim: %s" % error, file=sys.stderr)
        return 2
    plant = load_plant(args.project, seed=args.seed, profile=args.profile)
    server = SimulatorServer(plant, args.endpoint, security=security, speed=args.speed)
    try:
        asyncio.run(_serve(server, args.duration))
    except KeyboardInterrupt:
        pass
    if args.json:
        print(json.dumps({"endpoint": args.endpoint, "nodes": len(server.nodes),
                          "totals": plant.totals()}, sort_keys=True))
    return 0
