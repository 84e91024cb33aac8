"""`genba console`: a script console on a loaded project, like the Designer's."""
from __future__ import annotations

import code

from ..core.gateway import Gateway


def add_parser(subparsers):
    parser = subparsers.add_parser(
        "console", help="interactive script console with `system`, `mes` and `gw` loaded",
        description="Start a Python console in project scope on an emulated gateway. "
                    "Example: genba console --project project  then  >>> mes.counter.delta(10, 4)")
    parser.add_argument("--project", default="project", help="project folder (default: project)")
    parser.add_argument("--db", default="sqlite:///var/genba.db",
                        help="database URL of the default connection (default: sqlite:///var/genba.db)")
    parser.add_argument("--wall-clock", action="store_true", help="use real time instead of a virtual clock")
    parser.add_argument("-c", dest="command", metavar="CODE", help="run CODE and exit instead of prompting")
    parser.set_defaults(func=run)


def run(args):
    gateway = Gateway(project=args.project, clock="wall" if args.wall_clock else "virtual",
                      databases={"genba": args.db}, default_database="genba")
    namespace = dict(gateway.shared_globals)
    namespace["gw"] = gateway
    try:
        if args.command:
            gateway.execute(args.command, namespace)
            return 0
        banner = ("Genba script console: project %r, clock %s. `system`, the project library and "
                  "`gw` (the gateway: gw.clock.advance(s), gw.read(path)) are loaded."
                  % (args.project, "wall" if args.wall_clock else "virtual"))
        code.interact(banner=banner, local=namespace, exitmsg="")
        return 0
    finally:
        gateway.shutdown()
