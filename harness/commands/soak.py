"""`genba soak`: a chaos soak of the whole plant in virtual time, then the invariants and the truth."""
from __future__ import annotations

import json
import logging


def add_parser(subparsers):
    parser = subparsers.add_parser(
        "soak", help="replay the plant in virtual time with seeded faults, then check nothing was lost",
        description="Run the simulated plant (direct mode) against the project on the virtual clock for "
                    "--hours while counter resets, stale and bad-quality tags, database outages, ERP "
                    "outages, duplicate and lost acknowledgements and gateway restarts (with --opcua also OPC UA "
                    "server restarts and connection drops) strike at seeded times, while operators run work "
                    "orders, scan lots and a gauge is read; then check every invariant and compare the counts with the simulator's truth. "
                    "Example: genba soak --hours 8 --seed 7 --db postgresql://genba@127.0.0.1:5432/genba")
    parser.add_argument("--hours", type=float, default=1.0, help="virtual hours to run (default %(default)s)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the plant and the fault times (default %(default)s)")
    parser.add_argument("--db", default=None, help="database URL (default: a throw-away SQLite file)")
    parser.add_argument("--period", type=float, default=2.0,
                        help="seconds of plant time per device push (default %(default)s)")
    parser.add_argument("--opcua", action="store_true",
                        help="run the plant through the simulator's OPC UA server and the harness bridge on "
                             "127.0.0.1, with OPC UA server restarts and connection drops among the faults")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.set_defaults(func=run)


def run(args):
    from harness.soak import run_soak
    if args.hours <= 0:
        print("genba soak: --hours must be greater than 0")
        return 2
    logging.getLogger().setLevel(logging.ERROR)
    report = run_soak(args.hours, args.seed, args.db, args.period, opcua=args.opcua)
    if args.json:
        print(json.dumps(report, sort_keys=True))
    else:
        print("soak: %.2f h, seed %d, %s, %s mode" % (report["hours"], report["seed"], report["database"], report["mode"]))
        print("faults injected: %d (%s)" % (report["faults_total"], ", ".join(
            "%s %d" % (k, v) for k, v in sorted(report["faults"].items()))))
        for check in report["invariants"]:
            print("  %-46s %6d checked  %s" % (check["check"], check["checked"],
                                               "ok" if not check["violations"] else check["violations"][:3]))
        print("parts lost %d, duplicated %d; ERP: %d completions, %d received in effect, %d not sent"
              % (report["parts_lost"], report["parts_duplicated"], report["erp"]["completions"],
                 report["erp"]["received_in_effect"], report["erp"]["not_sent"]))
        floor = report.get("floor")
        if floor:
            gauge = floor["gauge"]
            print("floor: %d work orders (%d completed), %d lots, %d scans (%d consumed, %d refused while the database "
                  "was down and rescanned, %d bad lots refused); gauge %d readings = %d measured + %d refused, "
                  "%d pending, in order %s" % (
                      floor.get("work_orders", 0), floor.get("work_orders_completed", 0), floor.get("lots_received", 0),
                      floor.get("scans", 0), floor.get("consumed_kg", 0), floor.get("refused_database_unavailable", 0),
                      floor.get("refused_lot_quarantined", 0), gauge["delivered"], gauge["measured"], gauge["refused"],
                      gauge["pending"], gauge["in_arrival_order"]))
        if report.get("opcua"):
            print("OPC UA: %(connections)d connections, %(losses)d link losses, %(stalls)d stalls" % report["opcua"])
        print("script errors: %d %s" % (report["script_errors"], report["script_error_sources"] or ""))
        print("OK" if report["ok"] else "FAILED")
    return 0 if report["ok"] else 1
