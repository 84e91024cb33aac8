"""Shared arrangement of the material scenarios: database ready, users with roles, items, GTINs.

Common subset (runs on CPython and Jython). Scenario files reach it with
`sys.path.insert(0, <tests/support>)`; it only uses the gateway's public surface, plus wiring
`system.db` to the configured databases when the gateway does not do that itself.
"""
from __future__ import absolute_import, division, print_function

import os

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

#: Test passwords are hashed with few PBKDF2 iterations so set-up stays fast on Jython.
ITERATIONS = 1000

ITEMS = [
    # item_id, description, uom, tracking, GTIN
    ("RESIN-A", "PP resin, natural", "KG", "lot", "09501101530003"),
    ("RESIN-B", "PP resin, black", "KG", "lot", "09501101530010"),
    ("PCB-100", "Controller board", "EA", "serial", "09501101530027"),
    ("SCREW-M3", "Screw M3x8", "EA", "bulk", "09501101530034"),
    ("HOUSING", "Moulded housing", "EA", "lot", "09501101530041"),
    ("CTRL-UNIT", "Controller unit", "EA", "serial", "09501101530058"),
]


def ensure_database(gw):
    """Give the gateway a working system.db with every migration applied (the gateway does both on start)."""
    if "runPrepQuery" in dir(gw.system.db):
        return
    from harness.core import migrations
    from harness.core.db import DbService
    gw.system.db = DbService(gw.databases, gw.default_database, clock=gw.clock)
    migrations.upgrade(gw.system.db, os.path.join(gw.project_dir, "db", "migrations"))


def db_snapshot(gw, tables=("mat_units", "lots", "serials", "lot_transactions", "genealogy_edges", "wo_outputs",
                              "wo_bom_lines", "item_gtins", "audit_trail")):
    """Every row of the material tables, as sorted lists of text: equal snapshots = nothing changed."""
    snapshot = {}
    for table in tables:
        ds = gw.system.db.runQuery("SELECT * FROM " + table)
        rows = []
        for index in range(len(ds)):
            rows.append("|".join(u"%s" % (value,) for value in ds[index]))
        snapshot[table] = sorted(rows)
    return snapshot


def setup(gw):
    """Users ann (operator), quinn (quality), eve (engineer), lee (lead) and the item master."""
    ensure_database(gw)
    gw.call("mes.security.bootstrap_admin", "root", "root-pass", ITERATIONS)
    for user, roles in (("ann", ["operator"]), ("quinn", ["quality"]), ("eve", ["engineer"]), ("lee", ["lead"])):
        gw.call("mes.security.create_user", "root", user, user + "-pass", roles, None, ITERATIONS)
    for item_id, description, uom, tracking, gtin in ITEMS:
        gw.call("mes.item.define", "eve", item_id, "A", description, uom, tracking)
        gw.call("mes.material.assign_gtin", "eve", gtin, item_id)
    return gw


def released_lot(gw, item_id, lot_no, qty, uom, expiry=None, location=None):
    """Receive a lot (quarantine) and release it (quality); return the lot dict."""
    gw.call("mes.lot.receive", item_id, lot_no, qty, uom, "ann", expiry, "quarantine", location)
    return gw.call("mes.lot.set_status", lot_no, item_id, "released", "quinn", "incoming inspection passed")


def attempt(gw, dotted, *args, **kwargs):
    """Call a library function; {"error": code, "expected", "got", "message"} if it refuses."""
    try:
        return {"ok": gw.call(dotted, *args, **kwargs)}
    except Exception as error:  # a MesError from the library: report its code and details
        details = getattr(error, "details", None)
        if details is None:
            raise
        return {"error": error.code, "expected": details.get("expected"), "got": details.get("got"),
                "message": error.message}


def refused_unchanged(gw, dotted, *args, **kwargs):
    """attempt(...) plus "unchanged": whether the material tables are exactly as before the call."""
    before = db_snapshot(gw)
    outcome = attempt(gw, dotted, *args, **kwargs)
    outcome["unchanged"] = db_snapshot(gw) == before
    return outcome


def trace_summary(result):
    """A trace reduced to [code, depth] per unit and [input code, output code, kind] per edge."""
    codes = dict((node["unit_id"], node["code"]) for node in result["nodes"])
    return {"nodes": [[node["code"], node["depth"]] for node in result["nodes"]],
            "edges": [[codes.get(e["input_unit_id"]), codes.get(e["output_unit_id"]), e["kind"]] for e in result["edges"]],
            "truncated": result["truncated"]}


def scenario_path():
    """Make tests/support importable from a scenario file (they run by path on both hosts)."""
    return os.path.dirname(os.path.abspath(__file__))
