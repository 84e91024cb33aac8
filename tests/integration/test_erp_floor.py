"""ERP work orders through the dispatch area: released on the floor in the document's transaction,
completed there with the ERP message in the completion's transaction."""
import xml.etree.ElementTree as ET

import pytest

from tests.support.erp_fixtures import case, erp_gw, rows, schema_errors, set_settings  # noqa: F401

FAST = 1000
B = "{http://www.mesa.org/xml/B2MML-V0600}"


@pytest.fixture
def floor_gw(erp_gw):
    gw = erp_gw
    gw.call("mes.security.bootstrap_admin", "root", "root-pw", FAST)
    gw.call("mes.security.create_user", "root", "erp", "erp-pw", ["lead", "engineer", "quality"], None, FAST)
    gw.call("mes.security.create_user", "root", "ana", "ana-pw", ["operator"], None, FAST)
    gw.call("mes.security.create_user", "root", "eve", "eve-pw", ["engineer"], None, FAST)
    for center, station in (("Line1/Filler", "FILL-1"), ("Line1/Packer", "PACK-1")):
        gw.call("mes.workcenter.define", "eve", center)
        gw.call("mes.workcenter.define_station", "eve", station, center)
    gw.system.db.runPrepUpdate("DELETE FROM erp_settings WHERE name = ?", ["inbound.release"])
    assert gw.call("mes.erpinbound.receive", case("material_v0600.xml"), "test")["status"] == "accepted"
    return gw


def test_material_definitions_become_floor_items(floor_gw):
    assert floor_gw.call("mes.item.get", "RM-FILM", "1") == {
        "item_id": "RM-FILM", "revision": "1", "description": "Shrink film", "uom": "KG", "tracking": "bulk"}


def test_an_accepted_schedule_releases_its_order_on_the_floor_in_the_same_transaction(floor_gw):
    assert floor_gw.call("mes.erpinbound.receive", case("schedule_v0600.xml"), "test")["status"] == "accepted"
    wo = floor_gw.call("mes.workorder.get", "WO-1001")
    assert (wo["item_id"], wo["item_revision"], wo["qty_released"], wo["priority"], wo["status"]) == (
        "FG-100", "1", 200.0, 2, "released")
    ops = floor_gw.call("mes.workorder.operations", "WO-1001")
    assert [(o["op_seq"], o["work_center_id"], o["description"], o["run_minutes_per_unit"]) for o in ops] == [
        (10, "Line1/Filler", "BLOW-FILL", 1.35), (20, "Line1/Packer", "PACK", 0.6)]


def test_an_unknown_work_centre_rejects_the_document_and_leaves_nothing_on_the_floor_or_in_the_record(floor_gw):
    text = case("schedule_v0600.xml").replace("Line1/Packer", "Line9/Packer")
    result = floor_gw.call("mes.erpinbound.receive", text, "test")
    assert (result["status"], result["code"]) == ("rejected", "unknown_work_center")
    assert rows(floor_gw, "SELECT COUNT(*) FROM work_orders") == [(0,)]
    assert rows(floor_gw, "SELECT COUNT(*) FROM erp_work_orders") == [(0,)]
    assert rows(floor_gw, "SELECT COUNT(*) FROM routing_operations") == [(0,)]


def test_the_erp_user_needs_the_lead_role_to_release(floor_gw):
    floor_gw.call("mes.security.revoke_role", "root", "erp", "lead", "test")
    result = floor_gw.call("mes.erpinbound.receive", case("schedule_v0600.xml"), "test")
    assert (result["status"], result["code"]) == ("rejected", "missing_role")
    assert rows(floor_gw, "SELECT COUNT(*) FROM erp_work_orders") == [(0,)]


def test_a_floor_completion_enqueues_the_performance_with_the_booked_labour(floor_gw):
    floor_gw.call("mes.erpinbound.receive", case("schedule_v0600.xml"), "test")
    floor_gw.call("mes.security.sign_in", "ana", "ana-pw", "FILL-1")
    floor_gw.call("mes.operation.start", "ana", "FILL-1", "WO-1001", 10)
    floor_gw.clock.advance(5400)
    completion = floor_gw.call("mes.erpfloor.complete_operation", "ana", "FILL-1", "WO-1001", "10", 190, 6, 0,
                               [{"item_id": "RM-PREFORM", "lot_id": "LOT-PF-001", "quantity": 1190}])
    op = floor_gw.call("mes.operation.get", "WO-1001", 10)
    assert (op["status"], op["qty_good"], op["qty_scrap"]) == ("complete", 190.0, 6.0)
    assert rows(floor_gw, "SELECT person_id, hours FROM erp_completion_labor WHERE completion_id = ?", [completion]) == [
        ("ana", 1.5)]
    (payload,), = rows(floor_gw, "SELECT payload FROM erp_outbox_messages")
    assert schema_errors("ProductionPerformance", payload) == []
    segment = ET.fromstring(payload).find(".//" + B + "SegmentResponse")
    assert (segment.find(B + "ActualStartTime").text, segment.find(B + "ActualEndTime").text) == (
        "2026-01-05T06:00:00Z", "2026-01-05T07:30:00Z")


def test_a_failed_floor_completion_enqueues_nothing(floor_gw):
    floor_gw.call("mes.erpinbound.receive", case("schedule_v0600.xml"), "test")
    floor_gw.call("mes.security.sign_in", "ana", "ana-pw", "FILL-1")
    floor_gw.call("mes.operation.start", "ana", "FILL-1", "WO-1001", 10)
    with pytest.raises(Exception) as info:
        floor_gw.call("mes.erpfloor.complete_operation", "ana", "FILL-1", "WO-1001", "10", 190, 0, 0,
                      [{"item_id": "RM-CAP", "quantity": 190}])
    assert "backflushed" in str(info.value)
    assert floor_gw.call("mes.operation.get", "WO-1001", 10)["status"] == "in_progress"
    assert rows(floor_gw, "SELECT COUNT(*) FROM erp_outbox_messages") == [(0,)]


def _revised(bod="ECN-1", version="B"):
    return case("schedule_v0600.xml").replace("SCHED-0001", bod).replace("<Version>A</Version>", "<Version>%s</Version>" % version)


def test_a_new_revision_of_an_order_started_on_the_floor_is_refused_with_its_reason_stored(floor_gw):
    floor_gw.call("mes.erpinbound.receive", case("schedule_v0600.xml"), "test")
    floor_gw.call("mes.security.sign_in", "ana", "ana-pw", "FILL-1")
    floor_gw.call("mes.operation.start", "ana", "FILL-1", "WO-1001", 10)
    result = floor_gw.call("mes.erpinbound.receive", _revised().replace("<QuantityString>200</QuantityString>",
                                                                      "<QuantityString>300</QuantityString>"), "test")
    assert (result["status"], result["code"]) == ("rejected", "work_order_started")
    assert rows(floor_gw, "SELECT code, message_id FROM erp_inbound_errors") == [("work_order_started", "ECN-1")]
    assert rows(floor_gw, "SELECT revision, quantity FROM erp_work_orders") == [("A", 200.0)]
    assert floor_gw.call("mes.workorder.get", "WO-1001")["qty_released"] == 200.0
    assert rows(floor_gw, "SELECT COUNT(*) FROM audit_trail WHERE action = ?", ["workorder.revise"]) == [(0,)]


def test_a_new_revision_of_an_order_released_but_not_started_replaces_quantity_dates_routing_and_bom(floor_gw):
    floor_gw.call("mes.erpinbound.receive", case("schedule_v0600.xml"), "test")
    revised = (_revised().replace("<QuantityString>200</QuantityString>", "<QuantityString>300</QuantityString>")
               .replace("<QuantityString>4</QuantityString>", "<QuantityString>6</QuantityString>")
               .replace("<EndTime>2026-01-05T14:00:00Z</EndTime>", "<EndTime>2026-01-05T18:00:00Z</EndTime>")
               .replace("<Duration>PT2H</Duration>", "<Duration>PT3H</Duration>"))
    result = floor_gw.call("mes.erpinbound.receive", revised, "test")
    assert (result["status"], result["revised"]) == ("accepted", ["WO-1001"])
    wo = floor_gw.call("mes.workorder.get", "WO-1001")
    assert (wo["qty_released"], wo["due_date"], wo["status"]) == (300.0, "2026-01-05T18:00:00.000Z", "released")
    ops = floor_gw.call("mes.workorder.operations", "WO-1001")
    assert [(o["op_seq"], o["run_minutes_per_unit"]) for o in ops] == [(10, 0.9), (20, 0.6)]
    lines = floor_gw.call("mes.bom.lines", "WO-1001")
    assert [(l["line_no"], l["item_id"], l["qty_per"], l["qty_required"], l["consumption_mode"], l["op_seq"])
            for l in lines] == [(1, "RM-PREFORM", 4.0, 1200.0, "actual", 10), (2, "RM-CAP", 4.0, 1200.0, "backflush", 10),
                                (3, "RM-FILM", 0.02, 6.0, "backflush", 20)]
    assert rows(floor_gw, "SELECT actor, reason FROM audit_trail WHERE action = ?", ["workorder.revise"]) == [
        ("erp", "ERP revision B")]


def test_resending_a_revision_is_a_no_op_and_an_older_one_after_a_newer_is_refused(floor_gw):
    floor_gw.call("mes.erpinbound.receive", _revised("ECN-2", "C"), "test")
    again = floor_gw.call("mes.erpinbound.receive", _revised("ECN-3", "C"), "test")
    assert (again["status"], again["unchanged"]) == ("accepted", ["WO-1001"])
    older = floor_gw.call("mes.erpinbound.receive", _revised("ECN-4", "B").replace(
        "<QuantityString>200</QuantityString>", "<QuantityString>250</QuantityString>"), "test")
    assert (older["status"], older["code"]) == ("rejected", "stale_revision")
    assert floor_gw.call("mes.workorder.get", "WO-1001")["qty_released"] == 200.0


def test_material_lots_and_bom_lines_reach_the_material_model(floor_gw):
    lot = floor_gw.call("mes.lot.get", "LOT-PF-001", "RM-PREFORM")
    assert (lot["status"], lot["qty"], lot["uom"]) == ("released", 5000.0, "EA")
    floor_gw.call("mes.erpinbound.receive", case("schedule_v0600.xml"), "test")
    lines = floor_gw.call("mes.bom.lines", "WO-1001")
    assert [(l["line_no"], l["item_id"], l["qty_per"], l["qty_required"], l["uom"], l["consumption_mode"], l["op_seq"])
            for l in lines] == [(1, "RM-PREFORM", 6.0, 1200.0, "EA", "actual", 10),
                                (2, "RM-CAP", 6.0, 1200.0, "EA", "backflush", 10),
                                (3, "RM-FILM", 0.02, 4.0, "KG", "backflush", 20)]


def test_a_lot_the_floor_refuses_rejects_the_whole_document_and_leaves_nothing(floor_gw):
    floor_gw.call("mes.security.revoke_role", "root", "erp", "quality", "test")
    text = case("material_v0600.xml").replace("MAT-0001", "MAT-0002").replace("LOT-PF-001", "LOT-PF-002").replace(
        "<ID>FG-100</ID>", "<ID>FG-200</ID>")
    result = floor_gw.call("mes.erpinbound.receive", text, "test")
    assert (result["status"], result["code"]) == ("rejected", "missing_role")
    assert rows(floor_gw, "SELECT COUNT(*) FROM lots WHERE lot_no = ?", ["LOT-PF-002"]) == [(0,)]
    assert rows(floor_gw, "SELECT COUNT(*) FROM erp_lots WHERE lot_id = ?", ["LOT-PF-002"]) == [(0,)]
    assert rows(floor_gw, "SELECT COUNT(*) FROM items WHERE item_id = ?", ["FG-200"]) == [(0,)]


def test_a_rejected_schedule_leaves_no_bom_lines(floor_gw):
    text = case("schedule_v0600.xml").replace("Line1/Packer", "Line9/Packer")
    assert floor_gw.call("mes.erpinbound.receive", text, "test")["status"] == "rejected"
    assert rows(floor_gw, "SELECT COUNT(*) FROM wo_bom_lines") == [(0,)]


def test_with_release_record_orders_stay_off_the_floor(floor_gw):
    set_settings(floor_gw, inbound__release="record")
    assert floor_gw.call("mes.erpinbound.receive", case("schedule_v0600.xml"), "test")["status"] == "accepted"
    assert rows(floor_gw, "SELECT COUNT(*) FROM work_orders") == [(0,)]
    assert rows(floor_gw, "SELECT COUNT(*) FROM wo_bom_lines") == [(0,)]


def _started(gw):
    gw.call("mes.erpinbound.receive", case("schedule_v0600.xml"), "test")
    gw.call("mes.security.sign_in", "ana", "ana-pw", "FILL-1")
    gw.call("mes.operation.start", "ana", "FILL-1", "WO-1001", 10)
    gw.call("mes.material.open_output", "WO-1001", "FG-100", "FG-LOT-1", "ana")


def test_a_dispatch_completion_reports_the_scanned_lots_once_in_its_transaction(floor_gw):
    _started(floor_gw)
    floor_gw.call("mes.material.consume", "WO-1001", "LOT-PF-001", "FILL-1", "ana", 1190)
    floor_gw.clock.advance(3600)
    floor_gw.call("mes.operation.complete", "ana", "FILL-1", "WO-1001", 10, 190, 6, 0)
    assert rows(floor_gw, "SELECT wo_id, op_seq, good, scrap, rework, actor FROM erp_completions") == [
        ("WO-1001", "10", 190.0, 6.0, 0.0, "ana")]
    assert rows(floor_gw, "SELECT item_id, lot_id, quantity, method FROM erp_completion_materials ORDER BY line") == [
        ("RM-PREFORM", "LOT-PF-001", 1190.0, "actual"), ("RM-CAP", None, 1176.0, "backflush")]
    assert rows(floor_gw, "SELECT person_id, hours FROM erp_completion_labor") == [("ana", 1.0)]
    (payload,), = rows(floor_gw, "SELECT payload FROM erp_outbox_messages")
    assert schema_errors("ProductionPerformance", payload) == []


def test_a_report_and_then_the_completion_enqueue_one_message_each_with_what_is_new(floor_gw):
    _started(floor_gw)
    floor_gw.call("mes.material.consume", "WO-1001", "LOT-PF-001", "FILL-1", "ana", 600)
    floor_gw.call("mes.operation.report", "ana", "FILL-1", "WO-1001", 10, 100, 0, 0)
    floor_gw.call("mes.material.consume", "WO-1001", "LOT-PF-001", "FILL-1", "ana", 500)
    floor_gw.call("mes.operation.complete", "ana", "FILL-1", "WO-1001", 10, 80, 2, 0)
    assert rows(floor_gw, "SELECT good, scrap FROM erp_completions ORDER BY id") == [(100.0, 0.0), (80.0, 2.0)]
    assert rows(floor_gw, "SELECT completion_id, lot_id, quantity FROM erp_completion_materials WHERE method = ? "
                          "ORDER BY completion_id", ["actual"]) == [(1, "LOT-PF-001", 600.0), (2, "LOT-PF-001", 500.0)]
    assert rows(floor_gw, "SELECT COUNT(*) FROM erp_outbox_messages") == [(2,)]


def test_a_completion_of_nothing_more_after_a_report_still_reports_the_labour_booked_until_then(floor_gw):
    _started(floor_gw)
    floor_gw.clock.advance(1800)
    floor_gw.call("mes.operation.report", "ana", "FILL-1", "WO-1001", 10, 196, 0, 0)
    floor_gw.clock.advance(900)
    floor_gw.call("mes.operation.complete", "ana", "FILL-1", "WO-1001", 10, 0, 0, 0)
    assert rows(floor_gw, "SELECT c.good, l.person_id, l.hours FROM erp_completions c "
                          "LEFT JOIN erp_completion_labor l ON l.completion_id = c.id ORDER BY c.id") == [
        (196.0, None, None), (0.0, "ana", 0.75)]
    payloads = [r[0] for r in rows(floor_gw, "SELECT payload FROM erp_outbox_messages ORDER BY id")]
    assert len(payloads) == 2 and [schema_errors("ProductionPerformance", p) for p in payloads] == [[], []]


def test_a_completion_with_no_quantity_and_nothing_new_enqueues_nothing(floor_gw):
    _started(floor_gw)
    floor_gw.call("mes.operation.report", "ana", "FILL-1", "WO-1001", 10, 196, 0, 0)
    floor_gw.call("mes.operation.complete", "ana", "FILL-1", "WO-1001", 10, 0, 0, 0)
    assert rows(floor_gw, "SELECT COUNT(*) FROM erp_outbox_messages") == [(1,)]


def test_erpfloor_complete_operation_enqueues_exactly_one_message(floor_gw):
    _started(floor_gw)
    completion = floor_gw.call("mes.erpfloor.complete_operation", "ana", "FILL-1", "WO-1001", "10", 190, 6, 0, None,
                               [{"test_id": "FillLevel", "result": "pass"}])
    assert rows(floor_gw, "SELECT id FROM erp_completions") == [(completion,)]
    assert rows(floor_gw, "SELECT test_id, result FROM erp_completion_results") == [("FillLevel", "pass")]
    assert rows(floor_gw, "SELECT COUNT(*) FROM erp_outbox_messages") == [(1,)]


def test_completing_an_order_the_erp_did_not_send_enqueues_nothing(floor_gw):
    floor_gw.call("mes.security.create_user", "root", "lee", "lee-pw", ["lead", "engineer"], None, FAST)
    floor_gw.call("mes.item.define", "lee", "BOX", "1", "Box", "EA", "lot")
    floor_gw.call("mes.routing.define", "lee", "BOX", "1", [{"op_seq": 10, "work_center_id": "Line1/Filler"}])
    floor_gw.call("mes.workorder.release", "lee", "WO-LOCAL", "BOX", "1", 10, "2026-01-06")
    floor_gw.call("mes.security.sign_in", "ana", "ana-pw", "FILL-1")
    floor_gw.call("mes.operation.start", "ana", "FILL-1", "WO-LOCAL", 10)
    floor_gw.call("mes.operation.complete", "ana", "FILL-1", "WO-LOCAL", 10, 10, 0)
    assert rows(floor_gw, "SELECT COUNT(*) FROM erp_outbox_messages") == [(0,)]
    assert rows(floor_gw, "SELECT COUNT(*) FROM erp_completions") == [(0,)]


def test_a_new_revision_of_an_order_on_hold_is_refused_until_the_hold_is_released(floor_gw):
    floor_gw.call("mes.erpinbound.receive", case("schedule_v0600.xml"), "test")
    floor_gw.call("mes.workorder.hold", "erp", "WO-1001", "material shortage")
    result = floor_gw.call("mes.erpinbound.receive", _revised(), "test")
    assert (result["status"], result["code"]) == ("rejected", "work_order_held")
    assert result["reason"] == "Work order 'WO-1001' is on hold; release the hold before revising it."
    floor_gw.call("mes.workorder.release_hold", "erp", "WO-1001", "material arrived")
    assert floor_gw.call("mes.erpinbound.receive", _revised("ECN-5"), "test")["revised"] == ["WO-1001"]
