"""Bad input the fuzz suite found, pinned: each refusal is typed and names the input."""
from __future__ import absolute_import, division, print_function

import datetime


def test_scan_bytes_that_are_not_utf8_are_a_malformed_barcode(plant):
    refused = plant.attempt("regressions", "mes.barcode.parse", b"\x80", datetime.date(2026, 1, 5))
    assert refused.code == "malformed_barcode"
    assert refused.message == "Barcode bytes are not UTF-8 text."


def test_scanner_bytes_that_are_not_utf8_are_logged_as_a_rejected_scan(plant):
    outcome = plant.attempt("regressions", "mes.scanpoint.on_scan",
                            u"[default]Genba/Plant1/Assembly/Line2/Press/Scan", b"L-\x80",
                            logs=("material_scans",))
    assert outcome["outcome"] == "rejected"
    last = plant.gw.system.db.runScalarPrepQuery(
        "SELECT barcode FROM material_scans ORDER BY id DESC", [])
    assert last == u"L-\ufffd"


def test_a_lot_received_with_a_quantity_typed_as_text_is_an_invalid_quantity(plant):
    refused = plant.attempt("regressions", "mes.lot.receive", u"RESIN-A", u"L-TEXT", u"12", u"KG", u"ana")
    assert refused.code == "invalid_quantity"
    assert refused.message == "Quantity '12' must be 0 or more."


def test_a_lot_split_by_a_nan_quantity_is_an_invalid_quantity(plant):
    refused = plant.attempt("regressions", "mes.lot.split", u"L-100", u"RESIN-A", float("nan"), u"L-NAN", u"ana")
    assert refused.code == "invalid_quantity"


def test_a_disposition_of_an_ncr_id_that_is_not_a_number_is_an_unknown_ncr(plant):
    refused = plant.attempt("regressions", "mes.quality.disposition", u"quinn", u"quinn-pw", [], u"scrap")
    assert (refused.code, refused.message) == ("not_found", "Unknown NCR id [].")


def test_a_gauge_reading_of_bytes_that_are_not_utf8_is_refused_and_kept(plant):
    from reliability_plant import GAUGE
    refused = plant.attempt("regressions", "mes.quality.on_gauge_change", GAUGE, b"\x80", True,
                            logs=("qc_refused_readings",))
    assert refused.code is not None
    kept = plant.gw.system.db.runScalarPrepQuery(
        "SELECT raw_value FROM qc_refused_readings ORDER BY id DESC", [])
    assert kept == u"b'\\x80'"


def test_a_rest_work_order_whose_end_date_is_a_list_is_rejected_as_a_bad_value(plant):
    import json
    body = json.dumps({"externalId": "WO-8101", "status": {"id": "B"}, "assemblyItem": {"externalId": "FG-100"},
                       "quantity": 5, "units": "EA", "startDate": "2026-01-07", "endDate": []})
    status, result = plant.attempt("regressions", "mes.erpinbound.handle_http", body,
                                   {"Content-Type": "application/json"}, logs=("erp_inbound_errors",),
                                   refused_if=lambda answer: answer[0] != 200)
    assert (status, result["code"], result["reason"]) == (
        422, "bad_value", "The work order body has a field of the wrong type (AttributeError).")
