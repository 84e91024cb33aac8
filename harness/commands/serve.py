"""`genba serve`: open the project's Perspective views in a browser, bound live to a harness gateway."""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time

__all__ = ["add_parser", "run"]

HELP = """Serve the project's views (project/views/**/view.json) on 127.0.0.1 and render them in a
browser, bound live to a gateway the harness hosts: tag, property, expression and named-query
bindings, component event scripts with the Perspective script context, tag changes pushed over
Server-Sent Events. Sign in with a user of the project's user store (mes.security).

examples:
  genba serve --demo                        # a fresh demo database with a shift's history
  genba serve --db sqlite:///var/plant.db --clock wall --port 8088
"""


def add_parser(subparsers):
    parser = subparsers.add_parser(
        "serve", help="preview the views in a browser (e.g. genba serve --demo)",
        description=HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--project", default="project", help="project folder (default: project)")
    parser.add_argument("--db", help="database URL (default: the project's var/genba.db; with --demo a "
                                     "fresh temporary SQLite file)")
    parser.add_argument("--port", type=int, default=8088, help="port on 127.0.0.1 (default 8088; 0 = any)")
    parser.add_argument("--clock", choices=("virtual", "wall"), default="virtual",
                        help="virtual (moves when told, from the page header) or wall clock")
    parser.add_argument("--start", default="2026-01-05T06:00:00", help="start of a virtual clock")
    parser.add_argument("--demo", action="store_true", help="seed demo data (users ana/ana-pw, lee, quinn, eve)")
    parser.set_defaults(func=run)
    return parser


def run(args):
    from harness import Gateway
    from harness.preview import PreviewServer
    from harness.preview.demo import seed

    if not os.path.isdir(os.path.join(args.project, "views")):
        print("genba serve: %s has no views folder" % args.project, file=sys.stderr)
        return 2
    url = args.db
    if url is None and args.demo:
        url = "sqlite:///" + os.path.join(tempfile.mkdtemp(prefix="genba-demo-"), "genba.db")
    databases = {"genba": url} if url else None
    gateway = Gateway(project=args.project, clock=args.clock,
                      start=args.start if args.clock == "virtual" else None,
                      databases=databases, default_database="genba" if url else None)
    if args.demo:
        seed(gateway)
    server = PreviewServer(gateway, port=args.port).start()
    print("Genba preview on %s/ (Ctrl+C stops)" % server.url, flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        gateway.shutdown()
    return 0
