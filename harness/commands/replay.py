"""`genba replay`: play a replay scenario (JSON) on the virtual clock and summarise what the MES made of it."""
from __future__ import annotations

import json
import os
import subprocess
import sys

from ..environment import jython_command
from ..replay import ReplayError, quiet_gateway_log, run_replay

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def add_parser(subparsers):
    parser = subparsers.add_parser(
        "replay", help="replay a scenario file (timed events, simulated plant) and summarise it",
        description="Play a replay scenario (JSON, see docs/replay.md) on a gateway with a virtual clock "
                    "and print per machine OEE, work orders, holds and outbox messages. "
                    "Example: genba replay harness/replays/demo_shift.json --hours 1 --json")
    parser.add_argument("scenario", metavar="SCENARIO.json")
    parser.add_argument("--db", help="database URL (default: a throw-away SQLite file)")
    parser.add_argument("--host", choices=("cpython", "jython"), default="cpython",
                        help="interpreter to run on (jython: real Jython 2.7 with JDBC drivers)")
    parser.add_argument("--hours", type=float, help="replay only the first H hours")
    parser.add_argument("--json", action="store_true", help="print the summary as one JSON document")
    parser.set_defaults(func=run)


def _on_jython(args):
    command = jython_command()
    if command is None:
        raise ReplayError("Jython is not installed here (java and /usr/share/java/jython.jar are needed)")
    argv = command + ["-m", "harness.replay", os.path.abspath(args.scenario)]
    if args.db:
        argv += ["--db", args.db]
    if args.hours is not None:
        argv += ["--hours", repr(args.hours)]
    env = dict(os.environ, JYTHONPATH=REPO_ROOT)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (REPO_ROOT, env.get("PYTHONPATH")) if p)
    completed = subprocess.run(argv, env=env, capture_output=True, text=True)
    if completed.returncode != 0:
        raise ReplayError("the Jython replay failed (exit %s): %s" % (completed.returncode, completed.stderr[-2000:]))
    return json.loads(completed.stdout)


def _on_cpython(args, show_progress):
    if not show_progress:
        return run_replay(args.scenario, args.db, args.hours)
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
    with Progress(TextColumn("[bold]replay[/bold] {task.description}"), BarColumn(),
                  TextColumn("{task.fields[virtual]}"), TimeElapsedColumn(),
                  console=__import__("rich.console").console.Console(stderr=True)) as progress:
        task = progress.add_task(os.path.basename(args.scenario), total=1.0, virtual="")

        def report(done, total):
            progress.update(task, completed=done / total if total else 1.0,
                            virtual="%02d:%02d virtual" % (int(done) // 3600, int(done) % 3600 // 60))
        return run_replay(args.scenario, args.db, args.hours, report)


def print_summary(summary, console=None):
    from rich.console import Console
    from rich.table import Table
    if console is None:
        console = Console()
        if not console.is_terminal:
            console = Console(width=140)

    def pct(value):
        return "-" if value is None else "%.1f%%" % (100.0 * value)

    table = Table(title="Machines (%s, %g h)" % (summary.get("scenario"), summary.get("hours")))
    for column in ("machine", "A", "P", "Q", "OEE", "good", "total", "top downtime"):
        table.add_column(column, justify="left" if column in ("machine", "top downtime") else "right")
    for line_id, line in sorted(summary["lines"].items()):
        table.add_row("[bold]%s (line)[/bold]" % line_id, pct(line["A"]), pct(line["P"]), pct(line["Q"]),
                      pct(line["OEE"]), "", "", "")
    for machine_id, m in sorted(summary["machines"].items()):
        top = sorted(m["downtime_s"].items(), key=lambda item: (-item[1], item[0]))[:2]
        table.add_row(machine_id, pct(m["A"]), pct(m["P"]), pct(m["Q"]), pct(m["OEE"]), str(m["good"]),
                      str(m["total"]), ", ".join("%s %d min" % (r, s // 60) for r, s in top))
    console.print(table)
    orders = Table(title="Work orders")
    for column in ("order", "item", "status", "released", "operations (seq status good scrap)"):
        orders.add_column(column)
    for wo_id, order in sorted(summary["work_orders"].items()):
        orders.add_row(wo_id, order["item"], order["status"], "%g" % order["released"],
                       "; ".join("%s %s %s %s" % tuple(op) for op in order["operations"]))
    console.print(orders)
    console.print("Holds: %s" % (", ".join("%s %s %s (%s)" % tuple(h) for h in summary["holds"]) or "none"))
    console.print("Outbox: %s" % json.dumps(summary["outbox_counts"], sort_keys=True))
    refused = [e for e in summary["events"] if "refused" in e]
    for event in refused:
        console.print("Refused at %s: %s -> %s" % (event["at"], event["what"], event["refused"]))


def run(args):
    quiet_gateway_log()
    try:
        if args.host == "jython":
            summary = _on_jython(args)
        else:
            summary = _on_cpython(args, not args.json and sys.stderr.isatty())
    except (ReplayError, OSError, ValueError) as error:
        print("genba replay: %s" % error, file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(summary, indent=2, sort_keys=True))
    else:
        print_summary(summary)
    return 0
