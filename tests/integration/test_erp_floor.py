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
    gw.call("mes.security.create_user", "root", "erp", "erp-pw", ["lead", "engineer"], None, FAST)
    gw.call("mes.security.create_user", "root", "ana", "ana-pw", ["operator"], None, FAST)
    gw.call("mes.security.create_user", "root", "eve", "eve-pw", ["engineer"], None, FAST)
    for center, station in (("Line1/Filler", "FILL-1"), ("Line1/Packer", "PACK-1")):
        gw.call("mes.workcenter.define", "eve", center)
        gw.call("mes.workcenter.define_station", "eve", station, center)
    set_settings(gw, inbound__release="dispatch")
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


def test_a_new_revision_of_an_order_started_on_the_floor_is_skipped(floor_gw):
    floor_gw.call("mes.erpinbound.receive", case("schedule_v0600.xml"), "test")
    floor_gw.call("mes.security.sign_in", "ana", "ana-pw", "FILL-1")
    floor_gw.call("mes.operation.start", "ana", "FILL-1", "WO-1001", 10)
    revised = case("schedule_v0600.xml").replace("SCHED-0001", "ECN-1").replace("<Version>A</Version>", "<Version>B</Version>")
    result = floor_gw.call("mes.erpinbound.receive", revised, "test")
    assert (result["status"], result["skipped_started"]) == ("accepted", ["WO-1001"])


def test_a_new_revision_of_an_order_released_but_not_started_on_the_floor_is_refused(floor_gw):
    floor_gw.call("mes.erpinbound.receive", case("schedule_v0600.xml"), "test")
    revised = case("schedule_v0600.xml").replace("SCHED-0001", "ECN-1").replace("<Version>A</Version>", "<Version>B</Version>")
    result = floor_gw.call("mes.erpinbound.receive", revised, "test")
    assert (result["status"], result["code"]) == ("rejected", "floor_order_revised")
