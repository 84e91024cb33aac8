"""`genba audit`: check the hash chain of the MES audit trail."""
from __future__ import annotations

import json
import os
import sys

from harness.core.db import DatabaseError, DbService
from harness.core.library import ScriptLibrary
from harness.core.system.namespace import Namespace
from harness.dboption import add_db_option, database_url



def add_parser(subparsers):
    parser = subparsers.add_parser(
        "audit", help="Check the audit trail. Example: genba audit verify --db sqlite:///genba.db",
        description="Check the MES audit trail. Example: genba audit verify --db postgresql://mes@127.0.0.1:5432/mes")
    verbs = parser.add_subparsers(dest="audit_command", metavar="{verify}")
    text = ("Walk the hash chain; exit 1 naming the first changed, inserted or deleted row. "
            "Example: genba audit verify --db sqlite:///genba.db --json")
    sub = verbs.add_parser("verify", help=text, description=text)
    add_db_option(sub)
    sub.add_argument("--project", default="project", help="Project folder (default: project)")
    sub.add_argument("--json", action="store_true", help="Print one JSON document")
    sub.set_defaults(func=run)
    parser.set_defaults(func=lambda args: _usage(parser))


def _usage(parser):
    parser.print_help(sys.stderr)
    return 2


def verify(url, project="project"):
    """{"rows": n, "broken": None | {"seq", "problem"}} for the audit trail at `url`.

    Runs the project's own `mes.audit.verify` with only `system.db` attached, read-only.
    """
    service = DbService({"genba": url}, "genba")
    try:
        system = Namespace("system", {"db": service})
        library = ScriptLibrary(os.path.join(project, "scripts"), {"system": system})
        broken = library.resolve("mes.audit.verify")()
        rows = service.runScalarPrepQuery("SELECT COUNT(*) FROM audit_trail", [])
        return {"rows": int(rows), "broken": broken}
    finally:
        service.close()


def run(args) -> int:
    url = database_url(args)
    try:
        result = verify(url, args.project)
    except DatabaseError as exc:
        message = "cannot read the audit trail: %s" % exc.message
        if args.json:
            print(json.dumps({"error": message}))
        else:
            print("error: %s" % message, file=sys.stderr)
        return 1
    broken = result["broken"]
    if args.json:
        print(json.dumps({"database": url, "rows": result["rows"], "intact": broken is None,
                          "broken": broken}, sort_keys=True))
    elif broken is None:
        print("audit trail intact: %d rows" % result["rows"])
    else:
        print("audit trail BROKEN at row %d: %s (%d rows)" % (broken["seq"], broken["problem"],
                                                              result["rows"]))
    return 0 if broken is None else 1
