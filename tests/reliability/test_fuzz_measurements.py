"""Measurements typed by an operator or sent by a gauge: any value, unit and quality is judged,
or refused and kept in the refused-readings log with nothing else written."""
from __future__ import absolute_import, division, print_function

from hypothesis import given, settings
from hypothesis import strategies as st

from reliability_plant import GAUGE
from reliability_strategies import anything, stations, text, users

LOGS = ("qc_refused_readings",)


@settings(max_examples=500)
@given(user=users, station=stations, name=st.one_of(st.just(u"Torque"), text), raw=anything,
       units=st.one_of(st.none(), st.sampled_from([u"Nm", u"kN", u"nm"]), text))
def test_a_typed_measurement_is_judged_or_refused(plant, user, station, name, raw, units):
    plant.attempt("measurements", "mes.quality.enter_measurement", user, station, name, raw, units, logs=LOGS)


@settings(max_examples=500)
@given(tag=st.one_of(st.just(GAUGE), text), raw=anything, good=st.one_of(st.booleans(), anything))
def test_a_gauge_reading_is_judged_or_refused(plant, tag, raw, good):
    plant.attempt("measurements", "mes.quality.on_gauge_change", tag, raw, good, logs=LOGS)
