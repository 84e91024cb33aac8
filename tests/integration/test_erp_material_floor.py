"""Material from the ERP on the floor (tests/scenarios/erp_material_floor.py): lots and BOM lines of
B2MML documents reach mes.lot and mes.bom, and point-of-use checks and backflush work on the order."""
import pytest

from harness.core.scenario import run_scenario


@pytest.fixture(scope="module")
def result():
    return run_scenario("tests/scenarios/erp_material_floor.py")


def test_the_documents_book_their_lots_in_the_status_the_erp_sent(result):
    assert "error" not in result, result
    assert result["documents"] == ["accepted", ["LOT-PF-001", "LOT-LB-001", "LOT-CAP-001", "LOT-PF-002"], "accepted"]
    assert result["received"] == [["LOT-PF-001", "released", 5000.0], ["LOT-PF-002", "quarantine", 800.0],
                                  ["LOT-CAP-001", "released", 2000.0], ["LOT-LB-001", "released", 900.0]]


def test_the_schedule_stores_the_bom_lines_of_its_order(result):
    assert result["bom"] == [[1, "RM-PREFORM", 6.0, 1200.0, "actual", 10], [2, "RM-CAP", 6.0, 1200.0, "backflush", 10],
                             [3, "RM-FILM", 0.02, 4.0, "backflush", 20]]


def test_a_lot_from_the_document_is_consumed_and_wrong_or_unusable_lots_are_refused(result):
    assert result["scans"] == [["LOT-LB-001", "refused", "wrong_item"], ["LOT-PF-002", "refused", "lot_quarantined"],
                               ["LOT-CAP-001", "refused", "backflushed_item"], ["LOT-PF-001", "ok", "LOT-PF-001", 1190.0, 1]]


def test_backflush_deducts_the_caps_of_the_good_quantity(result):
    assert result["backflushed"] == [["LOT-CAP-001", "RM-CAP", 1140.0]]  # 6 per unit x 190 good
    assert result["after"] == [["LOT-PF-001", "released", 3810.0], ["LOT-PF-002", "quarantine", 800.0],
                               ["LOT-CAP-001", "released", 860.0], ["LOT-LB-001", "released", 900.0]]
    assert result["variance"] == [["RM-PREFORM", 1140.0, 1190.0], ["RM-CAP", 1140.0, 1140.0], ["RM-FILM", 3.8, 0.0]]


def test_the_completion_reports_the_scanned_lot_once(result):
    assert result["outbox"] == [["WO-1001", "pending"]]
    assert result["reported"] == [["RM-PREFORM", "LOT-PF-001", 1190.0, "actual"], ["RM-CAP", None, 1176.0, "backflush"]]
