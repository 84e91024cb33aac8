"""`genba demo`: an 8-hour shift of the plant replayed in virtual time, a summary and an HTML report."""
from __future__ import annotations

import json
import os
import shutil
import sys
import time

from ..replay import Replay, ReplayError, load, quiet_gateway_log, scratch_folder

DEMO = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "replays", "demo_shift.json")


def add_parser(subparsers):
    parser = subparsers.add_parser(
        "demo", help="replay an 8-hour shift of the plant and write an HTML report",
        description="Replay an early shift of the demonstration plant (two lines, 20 machines) on an "
                    "embedded SQLite database in virtual time: ERP orders in, production, a held lot "
                    "refused, an SPC hold, a fault, a recall trace, performance out to a local ERP "
                    "stand-in. Prints a summary and writes OUT/report.html. "
                    "Example: genba demo --out genba-demo")
    parser.add_argument("--out", default="genba-demo", help="folder for report.html, its figures and genba.db")
    parser.add_argument("--hours", type=float, help="replay only the first H hours (default 8)")
    parser.add_argument("--no-erp", action="store_true", help="do not start the local ERP stand-in")
    parser.add_argument("--json", action="store_true", help="print the summary as one JSON document")
    parser.set_defaults(func=run)


def play(out, hours=None, erp=True, progress=None):
    """Replay the demo shift into `out` (database, report); (summary, report path, seconds)."""
    scenario = load(DEMO)
    standin = None
    if erp:
        from ..erp_standin import ErpStandin
        standin = ErpStandin().start()
        url = "http://127.0.0.1:%d" % standin.port
        scenario["events"] = [{"at": 0, "do": "sql", "sql": "INSERT INTO erp_settings (name, value) VALUES (?, ?)",
                               "args": [name, value]}
                              for name, value in (("outbox.url.b2mml", url + "/b2mml"),
                                                  ("outbox.timeout_ms", "2000"))] + scenario["events"]
    scratch = scratch_folder()
    started = time.time()
    replay = Replay(scenario, None, hours, progress, scratch)
    try:
        summary = replay.play()
    finally:
        replay.close()
        if standin is not None:
            standin.stop()
    seconds = time.time() - started
    os.makedirs(out, exist_ok=True)
    database = os.path.join(out, "genba.db")
    shutil.copyfile(os.path.join(scratch, "genba.db"), database)
    shutil.rmtree(scratch, ignore_errors=True)
    from ..report import write_report
    page = write_report(summary, database, out, scenario)
    with open(os.path.join(out, "summary.json"), "w", encoding="utf-8") as handle:
        json.dump(summary, handle, indent=1, sort_keys=True)
    return summary, page, seconds


def run(args):
    quiet_gateway_log()
    show = not args.json and sys.stderr.isatty()
    try:
        if show:
            from rich.console import Console
            from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
            with Progress(TextColumn("[bold]demo shift[/bold]"), BarColumn(), TextColumn("{task.fields[virtual]}"),
                          TimeElapsedColumn(), console=Console(stderr=True)) as bar:
                task = bar.add_task("demo", total=1.0, virtual="")

                def report(done, total):
                    bar.update(task, completed=done / total if total else 1.0,
                               virtual="%02d:%02d virtual" % (int(done) // 3600, int(done) % 3600 // 60))
                summary, page, seconds = play(args.out, args.hours, not args.no_erp, report)
        else:
            summary, page, seconds = play(args.out, args.hours, not args.no_erp)
    except (ReplayError, OSError) as error:
        print("genba demo: %s" % error, file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(summary, indent=2, sort_keys=True))
    else:
        from .replay import print_summary
        print_summary(summary)
        print("%g virtual hours in %.0f s (%.0fx real time). Report: %s"
              % (summary["hours"], seconds, summary["hours"] * 3600 / max(seconds, 1e-9), page))
    return 0
