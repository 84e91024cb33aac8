"""`genba erp-standin`: run the stand-in ERP HTTP server on 127.0.0.1."""
from __future__ import annotations

import json
import sys
import time

from harness.erp_standin import MODES, ErpStandin


def add_parser(subparsers):
    parser = subparsers.add_parser(
        "erp-standin",
        help="run a stand-in ERP (B2MML and NetSuite-like REST) on 127.0.0.1",
        description="Run a stand-in ERP that records what Genba sends and can be told to fail. "
                    "Example: genba erp-standin --port 8765 --fail error --count 3")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0 = a free port)")
    parser.add_argument("--dedup", choices=("replay", "conflict"), default="replay",
                        help="answer to a repeated idempotency key: the first answer again, or 400 IDEMPOTENCY_ERROR")
    parser.add_argument("--fail", choices=[m for m in MODES if m != "ok"], help="misbehave for the first requests")
    parser.add_argument("--count", type=int, default=1, help="how many requests --fail applies to")
    parser.add_argument("--delay", type=float, default=0.0, help="seconds for --fail slow/timeout")
    parser.add_argument("--for", dest="duration", type=float, default=None,
                        help="stop after this many seconds (default: run until Ctrl-C)")
    parser.add_argument("--json", action="store_true", help="print one JSON document (url, then what was received)")
    parser.set_defaults(func=run)
    return parser


def run(args):
    if args.port < 0 or args.port > 65535:
        print("genba erp-standin: --port must be 0..65535, got %r" % args.port, file=sys.stderr)
        return 2
    standin = ErpStandin(port=args.port, dedup=args.dedup)
    try:
        standin.start()
    except OSError as exc:
        print("genba erp-standin: cannot listen on 127.0.0.1:%d: %s" % (args.port, exc), file=sys.stderr)
        return 1
    if args.fail:
        standin.misbehave(args.fail, args.count, delay=args.delay)
    if not args.json:
        print("ERP stand-in listening on %s (B2MML: POST %s/b2mml; REST: %s/services/rest/record/v1/...)"
              % (standin.url, standin.url, standin.url), flush=True)
    try:
        if args.duration is None:
            while True:
                time.sleep(3600)
        else:
            time.sleep(args.duration)
    except KeyboardInterrupt:
        pass
    finally:
        standin.stop()
    if args.json:
        print(json.dumps({"url": standin.url, "received": len(standin.received), "requests": len(standin.requests),
                          "keys": standin.keys()}, sort_keys=True))
    else:
        print("received %d message(s) in %d request(s)" % (len(standin.received), len(standin.requests)))
    return 0
