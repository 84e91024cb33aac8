"""Bad ERP input (tests/scenarios/erp_bad_input.py): a clear stored reason, nothing half-imported."""
import pytest

from harness.core.scenario import run_scenario


@pytest.fixture(scope="module")
def result():
    return run_scenario("tests/scenarios/erp_bad_input.py")


def test_every_bad_document_is_rejected_with_its_reason(result):
    assert "error" not in result, result
    assert result["results"] == [
        ["billion laughs", "rejected", "unsafe_document", "The document contains a 'DOCTYPE' declaration; DTDs and entities are refused."],
        ["external entity", "rejected", "unsafe_document", "The document contains a 'DOCTYPE' declaration; DTDs and entities are refused."],
        ["malformed", "rejected", "malformed_document", "The document is not well-formed XML"],
        ["wrong namespace", "rejected", "unsupported_document",
         "The namespace 'http://www.mesa.org/xml/B2MML-V0400' is not B2MML V0600 (http://www.mesa.org/xml/B2MML-V0600) "
         "or V07 (http://www.mesa.org/xml/B2MML)."],
        ["missing id", "rejected", "missing_element", "A work-order request has no ID."],
        ["zero quantity", "rejected", "bad_value",
         "Work order 'WO-1001' operation '20' material 'FG-100' has the quantity '0'; quantities must be greater than 0."],
        ["dates out of order", "rejected", "bad_value",
         "Work order 'WO-1001' ends (2026-01-04T14:00:00Z) before it starts (2026-01-05T06:00:00Z)."],
        ["unknown item", "rejected", "unknown_reference",
         "Work order 'WO-1001' refers to the unknown item 'FG-100'; send its MaterialDefinition first."],
        ["unknown unit", "rejected", "unknown_reference", "Material definition 'RM-FILM' uses the unknown unit 'LBS'."],
        ["oversized", "rejected", "document_too_large", "The document has 5002356 bytes, more than the limit of 4194304."],
        ["duplicate work order", "rejected", "duplicate_work_order",
         "Work order 'WO-1001' revision 'A' was already received with other content; send a new revision to change it."],
        ["unknown work centre", "rejected", "unknown_work_center", "Unknown work center 'Line9/Packer'."],
        ["older revision", "rejected", "stale_revision",
         "Work order 'WO-1001' revision 'B' is older than revision 'C' already received."],
        ["revision of a started order", "rejected", "work_order_started",
         "Work order 'WO-1001' has started; its revision 'D' cannot be applied (revision 'C' stays)."],
    ]


def test_each_rejection_is_stored_and_nothing_is_half_imported(result):
    assert result["errors_stored"] == 14
    assert (result["accepted"], result["work_orders"], result["operations"], result["bom_lines"]) == ("accepted", 1, 2, 3)
    assert (result["items"], result["lots"]) == (4, 1)
    assert result["revised"] == ["accepted", ["WO-1001"]]


def test_the_floor_holds_only_what_the_accepted_documents_sent(result):
    assert result["floor"] == {"work_orders": 1, "operations": 2, "bom_lines": 3, "lots": 1, "items": 4, "priority": 2}
