"""genba check: lint the project (structure, resource.json, Jython 2.7, tag paths, mes calls)."""
from __future__ import annotations

import argparse
import json
import sys

__all__ = ["add_parser", "run"]

HELP = """Lint the project before it goes to a gateway. Exit 1 with `file: json-path: problem`
lines when something fails.

Checks view.json structure and bindings, every exported resource.json, that every script compiles
under Jython 2.7 (real Jython when java and jython.jar are present), that every tag path a script or
view names exists in the tag model, and that every mes.* function events and views call exists.

example:
  genba check --project project
"""


def add_parser(subparsers):
    parser = subparsers.add_parser(
        "check", help="lint the project for a gateway (e.g. genba check --project project)",
        description=HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--project", default="project", help="project folder (default: project)")
    parser.add_argument("--no-jython", action="store_true",
                        help="check Jython 2.7 syntax without starting a JVM")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.set_defaults(func=run)
    return parser


def run(args):
    from harness.checker import check_project

    result = check_project(args.project, use_jython=not args.no_jython)
    if args.json:
        print(json.dumps({"ok": result.ok, "problems": [str(p) for p in result.problems],
                          "compiled_with": result.compiled_with, "counts": result.counts},
                         sort_keys=True))
    else:
        for problem in result.problems:
            print(problem)
        counts = ", ".join("%d %s" % (v, k) for k, v in sorted(result.counts.items()))
        print("%s: %d problem(s) (%s; scripts compiled with %s)"
              % ("FAILED" if result.problems else "ok", len(result.problems), counts,
                 result.compiled_with), file=sys.stderr)
    return 1 if result.problems else 0
