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
