"""Completions out: B2MML performance documents valid against MESA's XSDs, the REST face, backflush."""
import json
import xml.etree.ElementTree as ET

import pytest

from tests.support.erp_fixtures import case, erp_gw, loaded_gw, rows, schema_errors, set_settings  # noqa: F401

NS6 = {"b": "http://www.mesa.org/xml/B2MML-V0600"}
NS7 = {"b": "http://www.mesa.org/xml/B2MML"}


@pytest.fixture
def scheduled_gw(loaded_gw):
    assert loaded_gw.call("mes.erpinbound.receive", case("schedule_v0600.xml"), "test")["status"] == "accepted"
    return loaded_gw


def _complete_filling(gw):
    return gw.call("mes.erpperformance.record_completion", "WO-1001", "10", 95, scrap=5, rework=2,
                   consumed=[{"item_id": "RM-PREFORM", "lot_id": "LOT-PF-001", "quantity": 610}],
                   labor=[{"person_id": "op-7", "hours": 1.5}, {"person_id": "op-9", "hours": 0.25}],
                   quality=[{"test_id": "FillLevel", "result": "pass", "value": 1002.5, "uom": "ML"},
                            {"test_id": "CapTorque", "result": "pass"}],
                   start_ms=1767592800000, end_ms=1767600000000, actor="op-7")


def _payloads(gw):
    return [r for r in rows(gw, "SELECT kind, msg_key, message_id, payload, path, status FROM erp_outbox_messages ORDER BY id")]


def test_a_completion_enqueues_a_v0600_production_performance_valid_against_the_xsd(scheduled_gw):
    _complete_filling(scheduled_gw)
    (kind, key, message_id, payload, path, status), = _payloads(scheduled_gw)
    assert (kind, key, message_id, path, status) == ("b2mml.ProductionPerformance", "WO-1001", "genba-site-1", None, "pending")
    assert schema_errors("ProductionPerformance", payload) == []
    root = ET.fromstring(payload)
    assert root.find("b:ApplicationArea/b:BODID", NS6).text == "genba-site-1"
    seg = root.find("b:DataArea/b:ProductionPerformance/b:ProductionResponse/b:SegmentResponse", NS6)
    data = dict((d.find("b:ID", NS6).text, d.find("b:Value/b:ValueString", NS6).text) for d in seg.findall("b:ProductionData", NS6))
    assert data == {"GoodQuantity": "95", "ScrapQuantity": "5", "ReworkQuantity": "2",
                    "Quality.FillLevel": "pass", "Quality.CapTorque": "pass"}
    assert [(p.find("b:PersonID", NS6).text, p.find("b:Quantity/b:QuantityString", NS6).text)
            for p in seg.findall("b:PersonnelActual", NS6)] == [("op-7", "1.5"), ("op-9", "0.25")]
    consumed = [(m.find("b:MaterialDefinitionID", NS6).text, getattr(m.find("b:MaterialLotID", NS6), "text", None),
                 m.find("b:Quantity/b:QuantityString", NS6).text,
                 m.find("b:MaterialConsumedActualProperty/b:Value/b:ValueString", NS6).text)
                for m in seg.findall("b:MaterialConsumedActual", NS6)]
    assert consumed == [("RM-PREFORM", "LOT-PF-001", "610", "Actual"), ("RM-CAP", None, "600", "Backflush")]


def test_the_v07_operations_performance_is_valid_against_the_xsd(scheduled_gw):
    set_settings(scheduled_gw, outbound__b2mml_version="V0701")
    _complete_filling(scheduled_gw)
    scheduled_gw.call("mes.erpperformance.record_completion", "WO-1001", "20", 98, produced_lot="FG-LOT-1")
    docs = _payloads(scheduled_gw)
    assert [d[0] for d in docs] == ["b2mml.OperationsPerformance"] * 2
    for doc in docs:
        assert schema_errors("OperationsPerformance", doc[3]) == []
    root = ET.fromstring(docs[1][3])
    actuals = [(m.find("b:MaterialDefinitionID", NS7).text, m.find("b:MaterialUse", NS7).text,
                m.find("b:Quantity/b:QuantityString", NS7).text)
               for m in root.iter("{http://www.mesa.org/xml/B2MML}MaterialActual")]
    assert actuals == [("FG-100", "Produced", "98"), ("RM-FILM", "Consumed", "1.96")]


def test_backflushed_items_are_computed_from_the_bom_and_actual_ones_come_from_the_station(scheduled_gw):
    completion_id = _complete_filling(scheduled_gw)
    assert rows(scheduled_gw, "SELECT item_id, lot_id, quantity, method FROM erp_completion_materials WHERE completion_id = ? ORDER BY line",
                [completion_id]) == [("RM-PREFORM", "LOT-PF-001", 610.0, "actual"), ("RM-CAP", None, 600.0, "backflush")]


def test_reporting_consumption_of_a_backflushed_item_is_refused_and_nothing_is_written(scheduled_gw):
    with pytest.raises(Exception) as info:
        scheduled_gw.call("mes.erpperformance.record_completion", "WO-1001", "10", 5,
                          consumed=[{"item_id": "RM-CAP", "quantity": 5}])
    assert str(info.value) == "The item 'RM-CAP' is backflushed; do not report its consumption."
    assert rows(scheduled_gw, "SELECT COUNT(*) FROM erp_completions") == [(0,)]
    assert rows(scheduled_gw, "SELECT COUNT(*) FROM erp_outbox_messages") == [(0,)]


@pytest.mark.parametrize("args, message", [
    (("WO-9", "10", 1), "The work order 'WO-9' is not known."),
    (("WO-1001", "30", 1), "Work order 'WO-1001' has no operation '30'."),
    (("WO-1001", "10", -1), "The good quantity -1 must be 0 or more."),
    (("WO-1001", "10", 0), "A completion of 'WO-1001' operation '10' reports no quantity, material or labour."),
])
def test_bad_completions_are_refused(scheduled_gw, args, message):
    with pytest.raises(Exception) as info:
        scheduled_gw.call("mes.erpperformance.record_completion", *args)
    assert str(info.value) == message


def test_the_outbox_row_is_part_of_the_callers_transaction(scheduled_gw):
    db = scheduled_gw.system.db
    tx = db.beginTransaction("")
    scheduled_gw.call("mes.erpperformance.record_completion", "WO-1001", "10", 10, tx=tx)
    db.rollbackTransaction(tx)
    db.closeTransaction(tx)
    assert rows(scheduled_gw, "SELECT COUNT(*) FROM erp_outbox_messages") == [(0,)]
    assert rows(scheduled_gw, "SELECT COUNT(*) FROM erp_completions") == [(0,)]
    tx = db.beginTransaction("")
    scheduled_gw.call("mes.outbox.enqueue", "b2mml.Note", "WO-1001", "<x/>", tx)
    db.commitTransaction(tx)
    db.closeTransaction(tx)
    assert rows(scheduled_gw, "SELECT kind, status FROM erp_outbox_messages") == [("b2mml.Note", "pending")]


def test_enqueue_without_a_transaction_is_refused(scheduled_gw):
    with pytest.raises(Exception) as info:
        scheduled_gw.call("mes.outbox.enqueue", "b2mml.Note", "WO-1001", "<x/>", None)
    assert str(info.value) == "The outbox message 'b2mml.Note' for 'WO-1001' needs the transaction of its cause."


def test_the_rest_face_sends_a_netsuite_like_completion_with_the_backflush_flag(scheduled_gw):
    set_settings(scheduled_gw, outbound__faces="rest")
    _complete_filling(scheduled_gw)
    (kind, key, message_id, payload, path, status), = _payloads(scheduled_gw)
    assert (kind, path) == ("rest.workOrderCompletion",
                            "/services/rest/record/v1/workOrder/eid:WO-1001/!transform/workOrderCompletion")
    body = json.loads(payload)
    assert body["externalId"] == message_id
    assert (body["completedQuantity"], body["scrapQuantity"], body["quantity"], body["isBackflush"]) == (95, 5, 0, True)
    assert body["component"]["items"] == [{
        "item": {"externalId": "RM-PREFORM"}, "quantity": 610, "units": "EA", "operationSequenceNumber": "10",
        "componentInventoryDetail": {"inventoryAssignment": {"items": [{"issueInventoryNumber": "LOT-PF-001", "quantity": 610}]}}}]
    assert body["operation"]["items"] == [{"operationSequence": "10", "completedQuantity": 95, "laborRunTime": 105.0}]
    assert body["custbody_genba_rework"] == 2


@pytest.mark.parametrize("attempts, delay", [(1, 5000), (2, 10000), (3, 20000), (7, 320000), (8, 600000), (30, 600000)])
def test_backoff_doubles_from_the_base_and_is_capped(erp_gw, attempts, delay):
    assert erp_gw.call("mes.outbox.backoff_ms", attempts, 5000, 600000) == delay


@pytest.mark.parametrize("status, body, outcome", [
    (200, "", "sent"), (204, "", "sent"), (409, "", "sent"), (400, '{"o:errorCode": "IDEMPOTENCY_ERROR"}', "sent"),
    (500, "", "retry"), (503, "", "retry"), (429, "", "retry"), (408, "", "retry"), (400, "bad field", "dead"), (404, "", "dead")])
def test_answers_are_classified(erp_gw, status, body, outcome):
    assert erp_gw.call("mes.outbox.classify", status, body) == outcome
