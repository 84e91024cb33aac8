"""Lot and serial ids from labels, screens and the ERP: receipt, status changes, splits, merges,
serial registration and trace with any id, item, quantity, unit and date."""
from __future__ import absolute_import, division, print_function

from hypothesis import given, settings
from hypothesis import strategies as st

from reliability_strategies import anything, numbers, text, users

items = st.one_of(st.sampled_from([u"RESIN-A", u"PCB-100", u"SCREW-M3", u"PUMP-100"]), text)
lots = st.one_of(st.sampled_from([u"L-100", u"L-101", u"L-NEW"]), text)
serials = st.one_of(st.sampled_from([u"PCB-0001", u"PCB-0009"]), text)
statuses = st.one_of(st.sampled_from([u"released", u"hold", u"quarantine", u"consumed", u"expired"]), text)
dates = st.one_of(st.none(), st.sampled_from([u"2026-06-30", u"2026-02-30", u"2025-01-01", u"26-06-30"]), text)
qty = st.one_of(numbers, st.none(), text)

ACTIONS = {
    "receive": ("mes.lot.receive", st.tuples(items, lots, qty, st.one_of(st.sampled_from([u"KG", u"EA"]), text),
                                             users, dates, statuses)),
    "set_status": ("mes.lot.set_status", st.tuples(lots, items, statuses, users, st.one_of(st.none(), text))),
    "split": ("mes.lot.split", st.tuples(lots, items, qty, lots, users)),
    "merge": ("mes.lot.merge", st.tuples(st.lists(lots, max_size=3), lots, items, users)),
    "register": ("mes.serial.register", st.tuples(items, serials, users)),
}


@settings(max_examples=800)
@given(action=st.sampled_from(sorted(ACTIONS)), data=st.data())
def test_any_lot_or_serial_action_succeeds_or_is_refused_without_writing(plant, action, data):
    dotted, arguments = ACTIONS[action]
    plant.attempt("lot and serial ids", dotted, *data.draw(arguments))


@settings(max_examples=300)
@given(lot=st.one_of(st.none(), lots), serial=st.one_of(st.none(), serials),
       direction=st.one_of(st.sampled_from([u"backward", u"forward"]), text),
       depth=st.one_of(st.integers(-2, 12), numbers))
def test_a_trace_of_any_id_answers_or_is_refused(plant, lot, serial, direction, depth):
    outcome = plant.call("lot and serial ids", "mes.genealogy.trace", lot, serial, None, direction, depth)
    assert hasattr(outcome, "code") or "nodes" in outcome
