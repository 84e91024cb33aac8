"""Shared set-up of the ERP scenarios: the people and work centres of packaging line 1, so that an
accepted schedule is released to the floor (`inbound.release` = dispatch, the default).

Scenario files load this file into their own namespace (`exec`); the leading underscore keeps the
runner from treating it as a scenario.
"""
from __future__ import absolute_import, division, print_function

import io
import os

FAST = 1000  # PBKDF2 iterations for scenario users
CASES = os.path.join("tests", "cases", "erp")

CENTRES = [("Line1/Filler", "FILL-1"), ("Line1/Packer", "PACK-1")]


def read_case(name):
    """The text of an ERP test document in tests/cases/erp."""
    with io.open(os.path.join(CASES, name), encoding="utf-8") as handle:
        return handle.read()


def build_floor(gw):
    """Users erp (lead, engineer, quality: the ERP's floor account), ana and ben (operators),
    eve (engineer) and the two work centres of line 1 with one station each."""
    gw.call("mes.security.bootstrap_admin", "root", "root-pw", FAST)
    for name, roles in (("erp", ["lead", "engineer", "quality"]), ("ana", ["operator"]), ("ben", ["operator"]),
                        ("eve", ["engineer"])):
        gw.call("mes.security.create_user", "root", name, name + "-pw", roles, None, FAST)
    for centre, station in CENTRES:
        gw.call("mes.workcenter.define", "eve", centre)
        gw.call("mes.workcenter.define_station", "eve", station, centre)
