"""Scans from any scanner: GS1 element strings, lot labels, serials and garbage end in a parsed
scan, a consumption, or a typed refusal that wrote nothing."""
from __future__ import absolute_import, division, print_function

import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from reliability_strategies import quantities, scans, stations, users

TODAY = datetime.date(2026, 1, 5)


@settings(max_examples=3300)
@given(raw=scans)
def test_any_scan_parses_or_is_refused_as_a_malformed_barcode(plant, raw):
    outcome = plant.call("scans", "mes.barcode.parse", raw, TODAY)
    if hasattr(outcome, "code"):
        assert isinstance(outcome.error, plant.gw.eval("mes.barcode.MalformedBarcode")), outcome.message
    else:
        assert outcome["kind"] in ("gs1", "lot")


@settings(max_examples=400)
@given(raw=scans, station=stations, actor=users, qty=quantities)
def test_a_scan_at_the_station_consumes_or_writes_nothing(plant, raw, station, actor, qty):
    plant.attempt("scans", "mes.material.consume", u"WO-7001", raw, station, actor, qty)


@settings(max_examples=150)
@given(raw=scans)
def test_a_scan_tag_change_is_booked_or_refused(plant, raw):
    outcome = plant.attempt("scans", "mes.scanpoint.on_scan", u"[default]Genba/Plant1/Assembly/Line2/Press/Scan",
                            raw, logs=("material_scans",))
    assert outcome["outcome"] in ("consumed", "rejected", "ignored")
