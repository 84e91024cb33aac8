"""Round trip: schedule in -> production through dispatch -> performance out, valid and equal to the DB."""
import xml.etree.ElementTree as ET

import pytest

from harness.core.scenario import run_scenario
from tests.support.erp_fixtures import schema_errors

B = "{http://www.mesa.org/xml/B2MML-V0600}"


@pytest.fixture(scope="module")
def result():
    return run_scenario("tests/scenarios/erp_roundtrip.py")


def _data(segment):
    return dict((d.find(B + "ID").text, float(d.find(B + "Value/" + B + "ValueString").text))
                for d in segment.findall(B + "ProductionData") if not d.find(B + "ID").text.startswith("Quality."))


def test_the_documents_came_in_by_message_and_by_file_drop(result):
    assert "error" not in result, result
    assert (result["material"], result["imported"]) == ("accepted", ["schedule-0001.xml"])
    assert result["work_orders"] == [["WO-1001", "A", "FG-100", 200.0, "started"]]


def test_the_order_ran_on_the_floor_and_the_scanned_lot_was_consumed_from_the_material_model(result):
    assert result["floor"] == [[10, "complete", 190.0, 6.0, 4.0], [20, "complete", 188.0, 2.0, 0.0]]
    assert result["floor_order"] == "complete"
    assert result["scan"] == ["LOT-PF-001", 1180.0, 1]
    assert result["lot"] == ["released", 3820.0]
    assert result["bom"] == [[1, "RM-PREFORM", 1180.0], [2, "RM-CAP", 0.0], [3, "RM-FILM", 0.0]]


def test_every_emitted_document_is_valid_against_the_v0600_production_performance_schema(result):
    assert len(result["documents"]) == 3
    for document in result["documents"]:
        assert schema_errors("ProductionPerformance", document) == []


def test_the_documents_carry_the_numbers_in_the_database(result):
    for completion, document in zip(result["completions"], result["documents"]):
        cid, wo_id, op_seq, good, scrap, rework, produced_lot, start_ms, end_ms = completion
        root = ET.fromstring(document)
        response = root.find(B + "DataArea/" + B + "ProductionPerformance/" + B + "ProductionResponse")
        segment = response.find(B + "SegmentResponse")
        assert (response.find(B + "ProductionRequestID").text, segment.find(B + "ID").text) == (wo_id, op_seq)
        assert _data(segment) == {"GoodQuantity": good, "ScrapQuantity": scrap, "ReworkQuantity": rework}
        produced = segment.find(B + "MaterialProducedActual")
        assert float(produced.find(B + "Quantity/" + B + "QuantityString").text) == good
        assert getattr(produced.find(B + "MaterialLotID"), "text", None) == produced_lot
        consumed = [[cid, m.find(B + "MaterialDefinitionID").text, getattr(m.find(B + "MaterialLotID"), "text", None),
                     float(m.find(B + "Quantity/" + B + "QuantityString").text), m.find(B + "Quantity/" + B + "UnitOfMeasure").text,
                     m.find(B + "MaterialConsumedActualProperty/" + B + "Value/" + B + "ValueString").text.lower()]
                    for m in segment.findall(B + "MaterialConsumedActual")]
        assert consumed == [m for m in result["materials"] if m[0] == cid]
        labor = [[cid, p.find(B + "PersonID").text, float(p.find(B + "Quantity/" + B + "QuantityString").text)]
                 for p in segment.findall(B + "PersonnelActual")]
        assert labor == [l for l in result["labor"] if l[0] == cid]


def test_backflush_and_actual_consumption_follow_the_item_configuration(result):
    assert result["materials"] == [
        [1, "RM-PREFORM", "LOT-PF-001", 1180.0, "EA", "actual"],  # the lot scanned at the filler
        [1, "RM-CAP", None, 1176.0, "EA", "backflush"],  # 1200 per 200 x (190 good + 6 scrap)
        [2, "RM-FILM", None, 2.0, "KG", "backflush"],  # 4 kg per 200 x 100 reported
        [3, "RM-FILM", None, 1.8, "KG", "backflush"],  # 4 kg per 200 x (88 + 2) at completion
    ]


def test_each_report_and_completion_carries_its_quantities_times_labour_and_produced_lot(result):
    assert [c[2:] for c in result["completions"]] == [
        ["10", 190.0, 6.0, 4.0, None, 1767592860000, 1767609060000],
        ["20", 100.0, 0.0, 0.0, "FG-LOT-0105", 1767609060000, 1767612660000],
        ["20", 88.0, 2.0, 0.0, "FG-LOT-0105", 1767612660000, 1767616260000]]
    assert result["labor"] == [[1, "ana", 4.5], [3, "ben", 2.0]]


def test_the_quality_result_travels_with_its_operation(result):
    assert result["results"] == [[1, "FillLevel", "pass", 1001.5]]
    root = ET.fromstring(result["documents"][0])
    quality = [d for d in root.iter(B + "ProductionData") if d.find(B + "ID").text == "Quality.FillLevel"][0]
    assert quality.find(B + "Value/" + B + "ValueString").text == "pass"
    assert quality.find(B + "ProductionData/" + B + "Value/" + B + "ValueString").text == "1001.5"


def test_the_outbox_holds_one_pending_message_per_completion_in_order(result):
    assert [row[:2] + row[3:] for row in result["outbox"]] == [["b2mml.ProductionPerformance", "WO-1001", "pending"]] * 3
    assert result["completion_ids"] == [1, 2, 3]
