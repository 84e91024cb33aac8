"""`genba demo`: the main job — run the shipped scenarios on the project and show what happened."""
from __future__ import annotations

import glob
import json
import os
import sys

from rich.console import Console
from rich.table import Table

from ..core.scenario import run_scenario

SCENARIO_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "scenarios")


def add_parser(subparsers):
    parser = subparsers.add_parser(
        "demo", help="run the shipped scenarios on the project and print a summary",
        description="Run Genba's shipped scenarios against the project on a virtual clock and an "
                    "embedded SQLite database, and print a summary. Example: genba demo --json")
    parser.add_argument("--json", action="store_true", help="print one JSON document instead of a table")
    parser.set_defaults(func=run)


def run(args):
    results = {}
    for path in sorted(glob.glob(os.path.join(SCENARIO_DIR, "*.py"))):
        if not os.path.basename(path).startswith("_"):
            results[os.path.basename(path)[:-3]] = run_scenario(path)
    failed = [name for name, result in results.items() if "error" in result or "script_errors" in result]
    if args.json:
        print(json.dumps({"scenarios": results, "failed": failed}, indent=2, sort_keys=True))
    else:
        console = Console()
        table = Table(title="Genba demo: scenarios on an emulated gateway (virtual clock, SQLite)")
        table.add_column("scenario")
        table.add_column("result")
        for name, result in results.items():
            table.add_row(name, json.dumps(result, sort_keys=True)[:300])
        console.print(table)
    if failed:
        print("failed: %s" % ", ".join(failed), file=sys.stderr)
        return 1
    return 0
