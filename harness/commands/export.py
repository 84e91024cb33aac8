"""genba export: the project as an Ignition project archive plus one tag export per provider."""
from __future__ import annotations

import json
import sys

__all__ = ["add_parser", "run"]

HELP = """Export project/ as an archive an Ignition gateway imports without edits.

Writes the project archive (Config > Projects > Import), one tag JSON per provider for the Tag
Browser import (<stem>-tags-<provider>.json) and, for --ignition 8.1, the gateway events to create
by hand (<stem>-gateway-events-8.1.txt). Same source, same bytes.

example:
  genba export --ignition 8.3 -o dist/genba.zip
"""


def add_parser(subparsers):
    parser = subparsers.add_parser(
        "export", help="export project/ as an Ignition project archive (e.g. genba export -o "
                       "dist/genba.zip)", description=HELP,
        formatter_class=__import__("argparse").RawDescriptionHelpFormatter)
    parser.add_argument("--project", default="project", help="project source folder (default: "
                                                             "project)")
    parser.add_argument("--ignition", choices=("8.1", "8.3"), default="8.3",
                        help="gateway version the archive is for (default: 8.3)")
    parser.add_argument("-o", "--output", default="dist/genba.zip", help="archive path (default: "
                                                                         "dist/genba.zip)")
    parser.add_argument("--epoch", type=int, default=None,
                        help="timestamp (epoch seconds) for every entry; default SOURCE_DATE_EPOCH, "
                             "else the last git commit of the project folder")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.set_defaults(func=run)
    return parser


def run(args):
    from harness.exporter import build_export, write_export
    from harness.exporter_format import DeployError

    try:
        export = build_export(args.project, ignition=args.ignition, epoch=args.epoch)
    except DeployError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        if getattr(args, "json", False):
            print(json.dumps({"ok": False, "problems": [str(p) for p in exc.problems]}))
        return 1
    paths = write_export(export, args.output)
    if getattr(args, "json", False):
        print(json.dumps({"ok": True, "ignition": export.ignition, "epoch": export.epoch,
                          "files": paths, "entries": len(export.entries),
                          "events": [list(e) for e in export.events]}, sort_keys=True))
        return 0
    print("archive   %s (%d entries, Ignition %s)" % (paths["archive"], len(export.entries),
                                                      export.ignition))
    for role in sorted(paths):
        if role.startswith("tags:"):
            print("tags      %s (provider [%s])" % (paths[role], role[5:]))
    if export.manual_events:
        print("MANUAL STEP for 8.1: %d gateway event(s) are not in the archive; create them in the "
              "Designer (Project > Gateway Events) as listed in %s (docs/deploy.md)."
              % (len(export.events), paths["events-8.1"]))
    return 0
