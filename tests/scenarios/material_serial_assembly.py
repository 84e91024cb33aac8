"""Serialized assembly: controller boards (serials) and housings (a lot made from resin) are built
into controller units (serials). Each unit's backward trace names its board, housing lot and resin
lot with the work order, station, operator and the measurements taken; the forward trace of the
resin lot finds every unit; a board cannot be used twice and a serial number cannot repeat."""
from __future__ import absolute_import, division, print_function

import os
import sys

PROJECT = "project"
START = "2026-01-05T06:00:00"

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
import material_world as world  # noqa: E402


def run(gw):
    world.setup(gw)
    world.released_lot(gw, "RESIN-A", "R-9", 10.0, "KG", "2026-06-30")
    gw.call("mes.bom.set_lines", "WO-5001", [{"line_no": 10, "item_id": "RESIN-A", "qty_per": 0.1, "uom": "KG",
                                             "op_seq": 10, "station": "PRESS-1"}], "eve")
    gw.call("mes.material.open_output", "WO-5001", "HOUSING", "H-9", "ann", "lot", "EA")
    gw.call("mes.material.consume", "WO-5001", "R-9", "PRESS-1", "ann", 0.3)
    gw.call("mes.material.report_production", "WO-5001", 3.0, "ann")
    gw.call("mes.material.close_output", "WO-5001", "H-9", "ann")
    gw.call("mes.lot.set_status", "H-9", "HOUSING", "released", "quinn", "first article approved")
    for n in (1, 2, 3):
        gw.call("mes.serial.register", "PCB-100", "PCB-%04d" % n, "ann")
    gw.call("mes.bom.set_lines", "WO-6001", [
        {"line_no": 10, "item_id": "PCB-100", "qty_per": 1, "uom": "EA", "op_seq": 10, "station": "ASSY-1"},
        {"line_no": 20, "item_id": "HOUSING", "qty_per": 1, "uom": "EA", "op_seq": 10, "station": "ASSY-1"},
    ], "eve")
    built = []
    for n in (1, 2):
        unit = "CU-%04d" % n
        gw.call("mes.material.open_output", "WO-6001", "CTRL-UNIT", unit, "ann", "serial")
        gw.clock.advance(90)
        gw.call("mes.material.consume", "WO-6001", "(01)09501101530027(21)PCB-%04d" % n, "ASSY-1", "ann",
                None, 10, unit, ["torque-%d-1" % n, "torque-%d-2" % n])
        gw.call("mes.material.consume", "WO-6001", "(01)09501101530041(10)H-9", "ASSY-1", "ann", 1.0, 10, unit)
        gw.call("mes.material.close_output", "WO-6001", unit, "ann")
        built.append(unit)
    gw.call("mes.material.open_output", "WO-6001", "CTRL-UNIT", "CU-0003", "ann", "serial")
    reuse = world.refused_unchanged(gw, "mes.material.consume", "WO-6001", "(01)09501101530027(21)PCB-0001",
                                    "ASSY-1", "ann", None, 10, "CU-0003")
    duplicate = world.refused_unchanged(gw, "mes.material.open_output", "WO-6001", "CTRL-UNIT", "CU-0001", "ann", "serial")
    for outcome in (reuse, duplicate):
        outcome.pop("message")
    back = gw.call("mes.genealogy.trace", None, "CU-0002", None, "backward", edges=True)
    board_edge = [e for e in back["edges"] if e["kind"] == "assemble"][0]
    return {
        "built": built,
        "unit_backward": world.trace_summary(back),
        "board_edge": [board_edge["wo_id"], board_edge["op_seq"], board_edge["station"], board_edge["operator"],
                       board_edge["at"], board_edge["measurement_refs"], board_edge["qty"]],
        "resin_forward": world.trace_summary(gw.call("mes.genealogy.trace", "R-9", None, None, "forward", edges=True)),
        "board_reused": reuse,
        "serial_repeated": duplicate,
        "boards": [[s, gw.call("mes.serial.get", s, "PCB-100")["status"]] for s in ("PCB-0001", "PCB-0002", "PCB-0003")],
        "housings_left": gw.call("mes.lot.get", "H-9", "HOUSING")["qty"],
    }
