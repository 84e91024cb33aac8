"""`genba db`: apply and inspect schema migrations."""
from __future__ import annotations

import json
import os
import sys

from harness.core import migrations
from harness.core.db import DatabaseError, DbService
from harness.dboption import add_db_option, database_url



def add_parser(subparsers):
    parser = subparsers.add_parser(
        "db", help="Apply or inspect the schema migrations. Example: genba db upgrade --db sqlite:///genba.db",
        description="Apply or inspect project/db/migrations. Example: genba db upgrade --db postgresql://mes@127.0.0.1:5432/mes")
    verbs = parser.add_subparsers(dest="db_command", metavar="{upgrade,status}")
    for name, text in (("upgrade", "Apply pending migrations in order. Example: genba db upgrade --db sqlite:///genba.db"),
                       ("status", "List applied and pending migrations. Example: genba db status --json")):
        sub = verbs.add_parser(name, help=text, description=text)
        add_db_option(sub)
        sub.add_argument("--project", default="project", help="Project folder holding db/migrations (default: project)")
        sub.add_argument("--json", action="store_true", help="Print one JSON document")
        sub.set_defaults(func=run)
    parser.set_defaults(func=lambda args: _usage(parser))


def _usage(parser):
    parser.print_help(sys.stderr)
    return 2


def run(args) -> int:
    url = database_url(args)
    migrations_dir = os.path.join(args.project, "db", "migrations")
    service = DbService({"genba": url}, "genba")
    try:
        if args.db_command == "upgrade":
            done = migrations.upgrade(service, migrations_dir)
            result = dict(migrations.status(service, migrations_dir), applied_now=done)
        else:
            result = migrations.status(service, migrations_dir)
    except DatabaseError as exc:
        if args.json:
            print(json.dumps({"error": exc.message}))
        else:
            print("error: %s" % exc.message, file=sys.stderr)
        return 1
    finally:
        service.close()
    if args.json:
        print(json.dumps(result, sort_keys=True))
    elif args.db_command == "upgrade":
        for name in result["applied_now"]:
            print("applied %s" % name)
        print("%s is at %s (%d migrations, none pending)" % (
            result["database"], result["applied"][-1] if result["applied"] else "an empty schema", len(result["applied"])))
    else:
        for name in result["applied"]:
            print("applied  %s" % name)
        for name in result["pending"]:
            print("pending  %s" % name)
    return 0
