"""Every refused scan or material move names what was expected and what came, and leaves the
material tables and the audit trail exactly as they were: wrong item (GS1 and plain label), lot of
another item, lot on hold / in quarantine / expired / consumed, too little quantity, wrong station, a lot
kept in another unit of measure,
malformed and unknown barcodes, a duplicate serial, a merge that would close a genealogy cycle,
and a user without the operator role."""
from __future__ import absolute_import, division, print_function

import os
import sys

PROJECT = "project"
START = "2026-01-05T06:00:00"

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
import material_world as world  # noqa: E402


def run(gw):
    world.setup(gw)
    world.released_lot(gw, "RESIN-A", "L-OK", 50.0, "KG", "2026-06-30")
    world.released_lot(gw, "RESIN-A", "L-HOLD", 50.0, "KG", "2026-06-30")
    gw.call("mes.lot.set_status", "L-HOLD", "RESIN-A", "hold", "ann", "NCR-17 suspect moisture")
    gw.call("mes.lot.receive", "RESIN-A", "L-QUAR", 50.0, "KG", "ann", "2026-06-30")
    world.released_lot(gw, "RESIN-A", "L-EXP", 50.0, "KG", "2026-01-04")
    world.released_lot(gw, "RESIN-A", "L-USED", 2.0, "KG", "2026-06-30")
    world.released_lot(gw, "RESIN-B", "L-B1", 50.0, "KG", "2026-06-30")
    world.released_lot(gw, "RESIN-A", "L-LB", 50.0, "LB", "2026-06-30")
    gw.call("mes.serial.register", "PCB-100", "PCB-1", "ann")
    gw.call("mes.bom.set_lines", "WO-2001", [
        {"line_no": 10, "item_id": "RESIN-A", "qty_per": 0.5, "qty_required": 10.0, "uom": "KG", "op_seq": 10, "station": "PRESS-1"},
        {"line_no": 20, "item_id": "PCB-100", "qty_per": 1, "uom": "EA", "op_seq": 10, "station": "PRESS-1"},
    ], "eve")
    gw.call("mes.material.open_output", "WO-2001", "HOUSING", "H-2001", "ann", "lot", "EA")
    gw.call("mes.material.consume", "WO-2001", "L-USED", "PRESS-1", "ann", 2.0)
    gw.call("mes.lot.split", "L-OK", "RESIN-A", 10.0, "L-OK-A", "ann")

    def scan(barcode, station="PRESS-1", user="ann", qty=1.0):
        return world.refused_unchanged(gw, "mes.material.consume", "WO-2001", barcode, station, user, qty)

    cases = {
        "wrong_item_gs1": scan("(01)09501101530010(10)L-B1"),
        "wrong_item_plain_lot": scan("L-B1"),
        "lot_of_another_item": scan("(01)09501101530003(10)L-B1"),
        "lot_on_hold": scan("L-HOLD"),
        "lot_quarantined": scan("L-QUAR"),
        "lot_expired": scan("L-EXP"),
        "lot_consumed": scan("L-USED"),
        "insufficient_quantity": scan("L-OK", qty=80.0),
        "zero_quantity": scan("L-OK", qty=0.0),
        "wrong_station": scan("L-OK", station="PRESS-2"),
        "wrong_unit_of_measure": scan("L-LB"),
        "malformed_check_digit": scan("(01)09501101530004(10)L-OK"),
        "malformed_characters": scan("L OK"),
        "unknown_application_identifier": scan(u"]d20109501101530003" + u"99XYZ"),
        "unknown_gtin": scan("(01)09501101530065(10)L-OK"),
        "unknown_lot": scan("L-NONE"),
        "serial_with_quantity": scan("(01)09501101530027(21)PCB-1", qty=2.0),
        "not_an_operator": scan("L-OK", user="quinn"),
        "duplicate_serial": world.refused_unchanged(gw, "mes.serial.register", "PCB-100", "PCB-1", "ann"),
        "merge_cycle": world.refused_unchanged(gw, "mes.lot.merge", ["L-OK-A"], "L-OK", "RESIN-A", "ann"),
        "merge_other_item": world.refused_unchanged(gw, "mes.lot.merge", ["L-B1"], "L-OK", None, "ann"),
        "release_by_operator": world.refused_unchanged(gw, "mes.lot.set_status", "L-HOLD", "RESIN-A", "released", "ann"),
    }
    for outcome in cases.values():
        outcome.pop("message", None)
    messages = {
        "lot_on_hold": scan("L-HOLD")["message"],
        "lot_of_another_item": scan("(01)09501101530003(10)L-B1")["message"],
        "wrong_item_gs1": scan("(01)09501101530010(10)L-B1")["message"],
        "merge_cycle": world.attempt(gw, "mes.lot.merge", ["L-OK-A"], "L-OK", "RESIN-A", "ann")["message"],
    }
    good = gw.call("mes.material.consume", "WO-2001", "L-OK", "PRESS-1", "ann", 4.0)
    return {"cases": cases, "messages": messages, "then_a_good_scan": [good["code"], good["qty"], good["remaining_on_unit"]]}
