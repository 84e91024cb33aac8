"""Operator actions with any person, role, station, order, operation, quantity and free text:
start, report, complete, pause, resume, hold, release, step entry, sign-in, disposition. Each ends
in success or a typed refusal that wrote nothing."""
from __future__ import absolute_import, division, print_function

from hypothesis import given, settings
from hypothesis import strategies as st

from reliability_strategies import anything, op_seqs, quantities, stations, text, users, work_orders

ACTIONS = {
    "start": ("mes.operation.start", st.tuples(users, stations, work_orders, op_seqs)),
    "report": ("mes.operation.report", st.tuples(users, stations, work_orders, op_seqs, quantities,
                                                 quantities, quantities, st.one_of(st.none(), text))),
    "complete": ("mes.operation.complete", st.tuples(users, stations, work_orders, op_seqs, quantities,
                                                     quantities, quantities, st.one_of(st.none(), text))),
    "pause": ("mes.operation.pause", st.tuples(users, stations, work_orders, op_seqs, text)),
    "resume": ("mes.operation.resume", st.tuples(users, stations, work_orders, op_seqs)),
    "hold": ("mes.workorder.hold", st.tuples(users, work_orders, text)),
    "release_hold": ("mes.workorder.release_hold", st.tuples(users, work_orders, text)),
    "step": ("mes.guidance.record", st.tuples(users, stations, work_orders, op_seqs,
                                              st.one_of(st.integers(-1, 7), anything), anything)),
    "sign_in": ("mes.security.sign_in", st.tuples(users, st.one_of(text, users.map(lambda u: u + u"-pw")),
                                                  stations)),
    "disposition": ("mes.quality.disposition", st.tuples(users, st.one_of(text, users.map(lambda u: u + u"-pw")),
                                                         st.one_of(st.integers(-2, 5), anything),
                                                         st.one_of(st.sampled_from([u"use-as-is", u"scrap",
                                                                                    u"rework"]), text),
                                                         st.one_of(st.none(), text))),
}


@settings(max_examples=1000)
@given(action=st.sampled_from(sorted(ACTIONS)), data=st.data())
def test_any_operator_action_succeeds_or_is_refused_without_writing(plant, action, data):
    dotted, arguments = ACTIONS[action]
    plant.attempt("operator actions", dotted, *data.draw(arguments))
