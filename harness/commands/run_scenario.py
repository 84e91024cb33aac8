"""`genba run-scenario`: run scenario files on CPython or real Jython and print their results."""
from __future__ import annotations

import json

from ..hosts import HostUnavailable, run_on_host


def add_parser(subparsers):
    parser = subparsers.add_parser(
        "run-scenario", help="run scenario files (def run(gw)) on a host interpreter",
        description="Run scenario files against fresh gateways and print their JSON results. "
                    "Example: genba run-scenario tests/scenarios/counter_rollover.py --host jython")
    parser.add_argument("scenarios", nargs="+", metavar="SCENARIO.py")
    parser.add_argument("--host", choices=("cpython", "jython"), default="cpython",
                        help="interpreter to run on (jython: real Jython 2.7 with JDBC drivers)")
    parser.set_defaults(func=run)


def run(args):
    try:
        document = run_on_host(args.host, args.scenarios)
    except HostUnavailable as error:
        print("genba run-scenario: %s" % error)
        return 2
    print(json.dumps(document, indent=2, sort_keys=True))
    failed = [name for name, result in document["results"].items()
              if isinstance(result, dict) and ("error" in result or "script_errors" in result)]
    return 1 if failed else 0
