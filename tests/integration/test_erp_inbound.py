"""ERP documents in through mes.erpinbound: one transaction per document, idempotent, reasons stored."""
import pytest

from tests.support.erp_fixtures import case, erp_gw, library, loaded_gw, rows, set_settings  # noqa: F401


def _counts(gw):
    return dict((t, rows(gw, "SELECT COUNT(*) FROM " + t)[0][0]) for t in (
        "erp_work_orders", "erp_wo_operations", "erp_wo_materials", "erp_items", "erp_lots", "erp_inbound_documents"))


def test_a_schedule_creates_its_work_order_operations_and_bom_lines(loaded_gw):
    result = loaded_gw.call("mes.erpinbound.receive", case("schedule_v0600.xml"), "test")
    assert (result["status"], result["work_orders"]) == ("accepted", ["WO-1001"])
    assert rows(loaded_gw, "SELECT wo_id, revision, item_id, quantity, uom, priority, status FROM erp_work_orders") == [
        ("WO-1001", "A", "FG-100", 200.0, "EA", 2, "released")]
    assert rows(loaded_gw, "SELECT op_seq, step_no, work_center, duration_s FROM erp_wo_operations ORDER BY step_no") == [
        ("10", 0, "Line1/Filler", 16200.0), ("20", 1, "Line1/Packer", 7200.0)]
    assert rows(loaded_gw, "SELECT line, op_seq, item_id, quantity FROM erp_wo_materials ORDER BY line") == [
        (1, "10", "RM-PREFORM", 1200.0), (2, "10", "RM-CAP", 1200.0), (3, "20", "RM-FILM", 4.0)]


def test_sending_the_same_document_again_changes_nothing(loaded_gw):
    first = loaded_gw.call("mes.erpinbound.receive", case("schedule_v0600.xml"), "test")
    before = _counts(loaded_gw)
    again = loaded_gw.call("mes.erpinbound.receive", case("schedule_v0600.xml"), "file:again.xml")
    assert (again["status"], again["document_hash"]) == ("duplicate", first["document_hash"])
    assert _counts(loaded_gw) == before


def test_the_same_work_order_in_another_document_with_the_same_content_is_unchanged(loaded_gw):
    loaded_gw.call("mes.erpinbound.receive", case("schedule_v0600.xml"), "test")
    other = case("schedule_v0600.xml").replace("SCHED-0001", "SCHED-0002")
    result = loaded_gw.call("mes.erpinbound.receive", other, "test")
    assert (result["status"], result["unchanged"], result["work_orders"]) == ("accepted", ["WO-1001"], [])


def test_a_duplicate_work_order_id_with_different_content_is_rejected_and_nothing_is_imported(loaded_gw):
    loaded_gw.call("mes.erpinbound.receive", case("schedule_v0600.xml"), "test")
    before = _counts(loaded_gw)
    changed = (case("schedule_v0600.xml").replace("SCHED-0001", "SCHED-0003")
               .replace("<QuantityString>200</QuantityString>", "<QuantityString>250</QuantityString>"))
    result = loaded_gw.call("mes.erpinbound.receive", changed, "file:changed.xml")
    assert (result["status"], result["code"]) == ("rejected", "duplicate_work_order")
    assert result["reason"] == ("Work order 'WO-1001' revision 'A' was already received with other content; "
                                "send a new revision to change it.")
    assert _counts(loaded_gw) == before
    assert rows(loaded_gw, "SELECT source, code, reason FROM erp_inbound_errors") == [
        ("file:changed.xml", "duplicate_work_order", result["reason"])]


def test_a_message_id_reused_for_other_content_is_rejected(loaded_gw):
    loaded_gw.call("mes.erpinbound.receive", case("schedule_v0600.xml"), "test")
    changed = case("schedule_v0600.xml").replace("<Priority>2</Priority>", "<Priority>3</Priority>")
    result = loaded_gw.call("mes.erpinbound.receive", changed, "test")
    assert (result["status"], result["reason"]) == ("rejected", "The message id 'SCHED-0001' was already received with other content.")


def test_an_engineering_change_replaces_an_order_not_yet_started(loaded_gw):
    loaded_gw.call("mes.erpinbound.receive", case("schedule_v0600.xml"), "test")
    revised = (case("schedule_v0600.xml").replace("SCHED-0001", "ECN-0001").replace("<Version>A</Version>", "<Version>B</Version>")
               .replace("<QuantityString>4</QuantityString>", "<QuantityString>5</QuantityString>"))
    result = loaded_gw.call("mes.erpinbound.receive", revised, "test")
    assert (result["status"], result["revised"], result["work_orders"]) == ("accepted", ["WO-1001"], ["WO-1001"])
    assert rows(loaded_gw, "SELECT revision FROM erp_work_orders") == [("B",)]
    assert rows(loaded_gw, "SELECT item_id, quantity FROM erp_wo_materials WHERE line = 3") == [("RM-FILM", 5.0)]


def test_an_engineering_change_of_an_order_already_started_is_rejected_and_stored_with_its_reason(loaded_gw):
    loaded_gw.call("mes.erpinbound.receive", case("schedule_v0600.xml"), "test")
    loaded_gw.call("mes.erpperformance.record_completion", "WO-1001", "10", 10)
    revised = (case("schedule_v0600.xml").replace("SCHED-0001", "ECN-0002").replace("<Version>A</Version>", "<Version>B</Version>"))
    result = loaded_gw.call("mes.erpinbound.receive", revised, "test")
    assert (result["status"], result["code"]) == ("rejected", "work_order_started")
    assert result["reason"] == "Work order 'WO-1001' has started; its revision 'B' cannot be applied (revision 'A' stays)."
    assert rows(loaded_gw, "SELECT code, message_id FROM erp_inbound_errors") == [("work_order_started", "ECN-0002")]
    assert rows(loaded_gw, "SELECT revision, status FROM erp_work_orders") == [("A", "started")]


def test_an_older_revision_after_a_newer_one_is_rejected_and_the_newer_stays(loaded_gw):
    newer = case("schedule_v0600.xml").replace("SCHED-0001", "ECN-0003").replace("<Version>A</Version>", "<Version>C</Version>")
    assert loaded_gw.call("mes.erpinbound.receive", newer, "test")["status"] == "accepted"
    older = (case("schedule_v0600.xml").replace("<Version>A</Version>", "<Version>B</Version>")
             .replace("<QuantityString>4</QuantityString>", "<QuantityString>5</QuantityString>"))
    result = loaded_gw.call("mes.erpinbound.receive", older, "test")
    assert (result["status"], result["code"]) == ("rejected", "stale_revision")
    assert result["reason"] == "Work order 'WO-1001' revision 'B' is older than revision 'C' already received."
    assert rows(loaded_gw, "SELECT revision FROM erp_work_orders") == [("C",)]
    assert rows(loaded_gw, "SELECT quantity FROM erp_wo_materials WHERE line = 3") == [(4.0,)]


def test_resending_the_same_revision_in_a_new_document_changes_nothing(loaded_gw):
    loaded_gw.call("mes.erpinbound.receive", case("schedule_v0600.xml"), "test")
    again = case("schedule_v0600.xml").replace("SCHED-0001", "SCHED-0009")
    result = loaded_gw.call("mes.erpinbound.receive", again, "test")
    assert (result["status"], result["unchanged"], result["revised"]) == ("accepted", ["WO-1001"], [])


@pytest.mark.parametrize("older, newer", [("A", "B"), ("Z", "AA"), ("2", "10"), ("1.9", "1.10"), ("a", "B"), ("R2", "R10")])
def test_revisions_compare_naturally(older, newer):
    key = library().erpinbound.revision_key
    assert key(older) < key(newer)


def test_a_schedule_with_an_unknown_item_is_rejected_whole(erp_gw):
    result = erp_gw.call("mes.erpinbound.receive", case("schedule_v0600.xml"), "test")
    assert (result["status"], result["code"]) == ("rejected", "unknown_reference")
    assert result["reason"] == "Work order 'WO-1001' refers to the unknown item 'FG-100'; send its MaterialDefinition first."
    assert _counts(erp_gw)["erp_work_orders"] == 0


def test_an_unknown_unit_in_the_material_master_rejects_the_whole_document(erp_gw):
    text = case("material_v0600.xml").replace("<ValueString>KG</ValueString>", "<ValueString>LB</ValueString>")
    result = erp_gw.call("mes.erpinbound.receive", text, "test")
    assert (result["status"], result["reason"]) == ("rejected", "Material definition 'RM-FILM' uses the unknown unit 'LB'.")
    assert _counts(erp_gw)["erp_items"] == 0


def test_a_rejected_document_can_be_sent_again_once_its_cause_is_fixed(erp_gw):
    assert erp_gw.call("mes.erpinbound.receive", case("schedule_v0600.xml"), "test")["status"] == "rejected"
    erp_gw.call("mes.erpinbound.receive", case("material_v0600.xml"), "test")
    assert erp_gw.call("mes.erpinbound.receive", case("schedule_v0600.xml"), "test")["status"] == "accepted"


def test_an_entity_expansion_attack_is_stored_as_a_rejection(erp_gw):
    attack = ('<?xml version="1.0"?><!DOCTYPE a [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
              '<ProcessProductionSchedule xmlns="http://www.mesa.org/xml/B2MML-V0600">&b;</ProcessProductionSchedule>')
    result = erp_gw.call("mes.erpinbound.receive", attack, "http")
    assert (result["status"], result["code"]) == ("rejected", "unsafe_document")
    assert rows(erp_gw, "SELECT code FROM erp_inbound_errors") == [("unsafe_document",)]


def test_the_size_bound_is_a_setting(erp_gw):
    set_settings(erp_gw, inbound__max_bytes=500)
    status, result = erp_gw.call("mes.erpinbound.handle_http", case("material_v0600.xml"), {"Content-Type": "application/xml"})
    assert (status, result["code"]) == (413, "document_too_large")


def test_the_message_handler_receives_a_document(erp_gw):
    result = erp_gw.system.util.sendRequest("genba", "erpDocument", {"document": case("material_v0600.xml")})
    assert (result["status"], result["items"]) == ("accepted", ["FG-100", "RM-PREFORM", "RM-CAP", "RM-FILM"])
    assert erp_gw.system.util.sendRequest("genba", "erpDocument", {})["reason"] == "The message payload has no 'document'."


def test_the_file_drop_imports_files_in_name_order_and_moves_them(erp_gw, tmp_path):
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "2-schedule.xml").write_text(case("schedule_v0600.xml"))
    (drop / "1-material.xml").write_text(case("material_v0600.xml"))
    (drop / "3-broken.xml").write_text("<oops>")
    (drop / "notes.txt").write_text("not a document")
    set_settings(erp_gw, inbound__drop_folder=str(drop))
    erp_gw.clock.advance(10)
    assert sorted(p.name for p in (drop / "processed").iterdir()) == ["1-material.xml", "2-schedule.xml"]
    assert sorted(p.name for p in (drop / "rejected").iterdir()) == ["3-broken.xml", "3-broken.xml.reason.txt"]
    assert (drop / "rejected" / "3-broken.xml.reason.txt").read_text().startswith("malformed_document: ")
    assert sorted(p.name for p in drop.iterdir()) == ["notes.txt", "processed", "rejected"]
    assert rows(erp_gw, "SELECT wo_id FROM erp_work_orders") == [("WO-1001",)]


def test_an_oversized_dropped_file_is_rejected_without_being_read(erp_gw, tmp_path):
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "big.xml").write_text("<x>" + "a" * 5000 + "</x>")
    set_settings(erp_gw, inbound__drop_folder=str(drop), inbound__max_bytes=1000)
    result, = erp_gw.call("mes.erpinbound.poll_drop_folder")
    assert (result["status"], result["reason"]) == ("rejected", "The file 'big.xml' has 5007 bytes, more than the limit of 1000.")


def test_a_netsuite_like_work_order_is_applied_like_a_schedule(loaded_gw):
    body = {"externalId": "WO-3001", "status": {"id": "B"}, "assemblyItem": {"externalId": "FG-100"},
            "quantity": 50, "units": "EA", "startDate": "2026-01-07", "endDate": "2026-01-08",
            "operation": {"items": [{"operationSequence": 10, "manufacturingWorkCenter": {"refName": "Line1/Filler"}, "runTime": 90}]},
            "item": {"items": [{"item": {"externalId": "RM-PREFORM"}, "quantity": 300, "units": "EA", "operationSequenceNumber": 10}]}}
    status, result = loaded_gw.call("mes.erpinbound.handle_http", __import__("json").dumps(body), {"Content-Type": "application/json"})
    assert (status, result["status"], result["work_orders"]) == (200, "accepted", ["WO-3001"])
    assert rows(loaded_gw, "SELECT wo_id, item_id, quantity, start_ms FROM erp_work_orders") == [("WO-3001", "FG-100", 50.0, 1767744000000)]
    assert rows(loaded_gw, "SELECT op_seq, work_center, duration_s FROM erp_wo_operations") == [("10", "Line1/Filler", 5400.0)]
    body["status"] = {"id": "A"}
    body["externalId"] = "WO-3002"
    status, result = loaded_gw.call("mes.erpinbound.handle_http", __import__("json").dumps(body), {"Content-Type": "application/json"})
    assert (status, result["reason"]) == (422, "Work order 'WO-3002' has the status 'A'; only released orders go to the MES.")
