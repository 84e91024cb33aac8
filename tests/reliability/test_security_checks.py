"""Security checks over the whole project: no operator action without its role, e-signatures that
refuse a wrong password, no SQL built from strings anywhere in project/. (OPC UA Basic256Sha256
with user auth is pinned by tests/integration/test_simulator_opcua.py; a tampered audit row by
tests/unit/test_dispatch_audit.py and tests/reliability/test_invariants.py.)"""
from __future__ import absolute_import, division, print_function

import pytest

from harness.sqlscan import scan_project

# (dotted, args) called by eve, an engineer signed in nowhere, who holds none of these roles.
ACTIONS = [
    ("mes.operation.start", (u"eve", u"PRESS-1", u"WO-7002", 10)),
    ("mes.operation.report", (u"eve", u"PRESS-1", u"WO-7001", 10, 1, 0, 0)),
    ("mes.operation.complete", (u"eve", u"PRESS-1", u"WO-7001", 10, 1, 0, 0)),
    ("mes.operation.pause", (u"eve", u"PRESS-1", u"WO-7001", 10, u"break")),
    ("mes.workorder.hold", (u"eve", u"WO-7001", u"why")),
    ("mes.workorder.release_hold", (u"eve", u"WO-7001", u"why")),
    ("mes.workorder.close", (u"eve", u"WO-7001", u"done")),
    ("mes.lot.set_status", (u"L-101", u"RESIN-A", u"hold", u"eve", u"check")),
    ("mes.lot.receive", (u"RESIN-A", u"L-EVE", 5.0, u"KG", u"eve", None, u"released")),
    ("mes.material.consume", (u"WO-7001", u"L-100", u"PRESS-1", u"eve")),
    ("mes.quality.enter_measurement", (u"eve", u"TORQUE-1", u"Torque", 12.0)),
    ("mes.guidance.record", (u"eve", u"PRESS-1", u"WO-7001", 10, 1, u"H-0001")),
]


@pytest.mark.parametrize("dotted,args", ACTIONS, ids=[a[0][4:] for a in ACTIONS])
def test_an_operator_action_without_the_role_is_refused_and_writes_nothing(plant, dotted, args):
    refused = plant.attempt("security", dotted, *args)
    assert isinstance(refused.error, plant.gw.eval("mes.errors.PermissionDenied")), refused


def test_a_signature_with_a_wrong_password_is_refused(plant):
    refused = plant.attempt("security", "mes.security.sign", u"quinn", u"guess", u"approved")
    assert isinstance(refused.error, plant.gw.eval("mes.errors.PermissionDenied"))


def test_no_sql_in_the_project_is_built_from_strings():
    assert scan_project("project") == []
