"""genba import: a gateway project export and/or tag exports back into project/."""
from __future__ import annotations

import argparse
import json
import sys

__all__ = ["add_parser", "run"]

HELP = """Import a gateway project export (folder or zip) and/or tag JSON exports into project/.

Scripts, views, named queries and 8.3 gateway events land in the project layout; a tag export
lands in project/tags/<provider>/, each tag in the file that held it. Files whose content did not
change keep their bytes. Nothing is written unless the whole import is valid. The provider of a
tag export is --provider, else taken from a name like genba-tags-<provider>.json, else default.

examples:
  genba import ~/Downloads/Genba_2026-01-05.zip
  genba import dist/genba.zip dist/genba-tags-default.json --project project
"""


def add_parser(subparsers):
    parser = subparsers.add_parser(
        "import", help="import a gateway export into project/ (e.g. genba import export.zip "
                       "tags.json)", description=HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="+", metavar="PATH",
                        help="project export folder or zip, or a tag JSON export")
    parser.add_argument("--project", default="project", help="project folder to write (default: "
                                                             "project)")
    parser.add_argument("--provider", default=None, help="tag provider of the tag exports")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.set_defaults(func=run)
    return parser


def run(args):
    from harness.exporter_format import DeployError
    from harness.importer import import_paths

    try:
        result = import_paths(args.paths, args.project, provider=args.provider)
    except DeployError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        if args.json:
            print(json.dumps({"ok": False, "problems": [str(p) for p in exc.problems]}))
        else:
            print("nothing written to %s" % args.project, file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps({"ok": True, "written": result.written, "removed": result.removed,
                          "unchanged": result.unchanged, "warnings": result.warnings},
                         sort_keys=True))
        return 0
    for warning in result.warnings:
        print("warning: " + warning, file=sys.stderr)
    for rel in result.written:
        print("wrote     %s/%s" % (args.project, rel))
    for rel in result.removed:
        print("removed   %s/%s" % (args.project, rel))
    print("%d written, %d removed, %d unchanged" % (len(result.written), len(result.removed),
                                                     result.unchanged))
    return 0
