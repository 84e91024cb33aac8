"""`genba trace`: the recall report — where a lot or serial went (forward) or what went into it (backward)."""
from __future__ import annotations

import json
import os
import sys

from harness.core.db import DatabaseError, DbService
from harness.core.library import ScriptLibrary
from harness.core.system.namespace import Namespace
from harness.dboption import add_db_option, database_url



def add_parser(subparsers):
    text = ("Trace a lot or serial through the genealogy: forward (which units contain it) or backward "
            "(what went into it). Example: genba trace --lot L-2026-001 --forward --db sqlite:///genba.db")
    parser = subparsers.add_parser("trace", help=text, description=text)
    unit = parser.add_mutually_exclusive_group(required=True)
    unit.add_argument("--lot", help="lot number to trace")
    unit.add_argument("--serial", help="serial number to trace")
    way = parser.add_mutually_exclusive_group(required=True)
    way.add_argument("--forward", dest="direction", action="store_const", const="forward",
                     help="where the unit went: every unit made from it (recall)")
    way.add_argument("--backward", dest="direction", action="store_const", const="backward",
                     help="what went into the unit: every input lot and serial")
    parser.add_argument("--item", default=None, help="item id, when the number is used by several items")
    parser.add_argument("--depth", type=int, default=10, help="maximum number of steps followed (default 10)")
    parser.add_argument("--max-nodes", type=int, default=10000,
                        help="fan-out limit: units whose edges are followed at most (default 10000)")
    add_db_option(parser)
    parser.add_argument("--project", default="project", help="project folder (default: project)")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.set_defaults(func=run)


def trace_with(url, project, **query):
    """Run mes.genealogy.trace against the database at `url` without starting a gateway."""
    service = DbService({"genba": url}, "genba")
    library = ScriptLibrary(os.path.join(project, "scripts"), {"system": Namespace("system", {"db": service})})
    try:
        return library.resolve("mes.genealogy.trace")(**query)
    finally:
        service.close()


def report_lines(result):
    """The human recall report: one line per unit with the edge that reached it."""
    root = result["root"]
    depth_of = dict((node["unit_id"], node["depth"]) for node in result["nodes"])
    via = {}
    near, far = ("output_unit_id", "input_unit_id") if result["direction"] == "backward" else ("input_unit_id", "output_unit_id")
    for edge in result["edges"]:
        target = edge[far]
        if target not in via and depth_of.get(edge[near]) is not None and depth_of.get(target) == depth_of[edge[near]] + 1:
            via[target] = edge
    lines = ["%s trace of %s %s (item %s): %d units, %d edges%s" % (
        result["direction"].capitalize(), root["kind"], root["code"], root["item_id"], len(result["nodes"]) - 1,
        len(result["edges"]), " (TRUNCATED at the fan-out limit)" if result["truncated"] else "")]
    lines.append("%-5s %-6s %-14s %-20s %-8s %-12s %-6s %-10s %-10s %s" % (
        "depth", "kind", "item", "code", "via", "work order", "op", "station", "operator", "at"))
    for node in result["nodes"][1:]:
        edge = via.get(node["unit_id"], {})
        lines.append("%-5s %-6s %-14s %-20s %-8s %-12s %-6s %-10s %-10s %s" % (
            node["depth"], node["kind"], node["item_id"], node["code"], edge.get("kind") or "-", edge.get("wo_id") or "-",
            edge.get("op_seq") if edge.get("op_seq") is not None else "-", edge.get("station") or "-",
            edge.get("operator") or "-", edge.get("at") or "-"))
    return lines


def run(args) -> int:
    url = database_url(args)
    query = {"lot": args.lot, "serial": args.serial, "item_id": args.item, "direction": args.direction,
             "max_depth": args.depth, "max_nodes": args.max_nodes, "edges": True}
    try:
        result = trace_with(url, args.project, **query)
    except DatabaseError as error:
        return _fail(args, "database error: %s" % (error.message,))
    except Exception as error:  # a MesError from the library: unknown lot, bad limit, ...
        if getattr(error, "code", None) is None or not hasattr(error, "to_dict"):
            raise
        return _fail(args, error.message, error.to_dict())
    if args.json:
        print(json.dumps(result, sort_keys=True))
    else:
        print("\n".join(report_lines(result)))
    return 0


def _fail(args, message, document=None):
    if args.json:
        print(json.dumps({"error": document or {"message": message}}, sort_keys=True))
    else:
        print("genba trace: %s" % (message,), file=sys.stderr)
    return 1
