"""mes.erpschedule: B2MML schedules and material documents mapped to plain records (no host)."""

import pytest

from tests.support.erp_fixtures import case, library

mes = library()

def test_v0600_schedule_maps_to_one_work_order_with_routing_and_bom():
    record = mes.erpschedule.read(case("schedule_v0600.xml"))
    assert (record["kind"], record["version"], record["message_id"], record["verb"]) == ("schedule", "V0600", "SCHED-0001", "Process")
    wo, = record["work_orders"]
    assert (wo["wo_id"], wo["revision"], wo["item_id"], wo["quantity"], wo["uom"], wo["priority"]) == ("WO-1001", "A", "FG-100", 200, "EA", 2)
    assert wo["start_ms"] == 1767592800000 and wo["end_ms"] == 1767621600000
    assert [(o["op_seq"], o["segment_id"], o["work_center"], o["duration_s"]) for o in wo["operations"]] == [
        ("10", "BLOW-FILL", "Line1/Filler", 16200), ("20", "PACK", "Line1/Packer", 7200)]
    assert [(m["op_seq"], m["item_id"], m["quantity"], m["uom"]) for m in wo["materials"]] == [
        ("10", "RM-PREFORM", 1200, "EA"), ("10", "RM-CAP", 1200, "EA"), ("20", "RM-FILM", 4, "KG")]

def test_v07_operations_schedule_maps_like_v0600():
    record = mes.erpschedule.read(case("schedule_v07.xml"))
    wo, = record["work_orders"]
    assert (record["version"], wo["wo_id"], wo["revision"], wo["item_id"], wo["quantity"]) == ("V0701", "WO-2001", "1", "FG-100", 100)
    assert [(m["op_seq"], m["item_id"], m["quantity"]) for m in wo["materials"]] == [("10", "RM-PREFORM", 600), ("20", "RM-FILM", 2.5)]
    assert [o["work_center"] for o in wo["operations"]] == ["Line1/Filler", None]

def test_material_information_maps_items_with_tracking_and_consumption_and_lots():
    record = mes.erpschedule.read(case("material_v0600.xml"))
    assert [(i["item_id"], i["uom"], i["tracking"], i["consumption"]) for i in record["items"]] == [
        ("FG-100", "EA", "lot", "actual"), ("RM-PREFORM", "EA", "lot", "actual"),
        ("RM-CAP", "EA", "lot", "backflush"), ("RM-FILM", "KG", "bulk", "backflush")]
    assert record["lots"] == [{"lot_id": "LOT-PF-001", "item_id": "RM-PREFORM", "quantity": 5000, "uom": "EA", "status": "released"}]

def _schedule(**changes):
    text = case("schedule_v0600.xml")
    for old, new in changes.get("replace", []):
        assert old in text
        text = text.replace(old, new, 1)
    return text

BAD = [
    ("not xml at all", "malformed_document", "not well-formed"),
    (_schedule(replace=[("</ProcessProductionSchedule>", "")]), "malformed_document", "not well-formed"),
    (_schedule(replace=[("B2MML-V0600\"", "B2MML-V0500\"")]), "unsupported_document", "B2MML-V0500"),
    (_schedule(replace=[("<Priority>2</Priority>", "")]).replace("ProductionSchedule", "OperationsSchedule"),
     "unsupported_document", "'OperationsSchedule' is a V0701 noun"),
    (_schedule(replace=[("<ID>WO-1001</ID>", "")]), "missing_element", "A work-order request has no ID."),
    (_schedule(replace=[("<QuantityString>200</QuantityString>", "<QuantityString>0</QuantityString>")]),
     "bad_value", "quantity '0'; quantities must be greater than 0"),
    (_schedule(replace=[("<QuantityString>1200</QuantityString>", "<QuantityString>-5</QuantityString>")]),
     "bad_value", "quantity '-5'"),
    (_schedule(replace=[("<QuantityString>1200</QuantityString>", "<QuantityString>lots</QuantityString>")]),
     "bad_value", "'lots', which is not a number"),
    (_schedule(replace=[("<EndTime>2026-01-05T14:00:00Z</EndTime>", "<EndTime>2026-01-05T05:00:00Z</EndTime>")]),
     "bad_value", "Work order 'WO-1001' ends (2026-01-05T05:00:00Z) before it starts"),
    (_schedule(replace=[("<LatestEndTime>2026-01-05T12:00:00Z", "<LatestEndTime>2026-01-05T15:00:00Z")]),
     "bad_value", "operation '10' ends after its work order ends"),
    (_schedule(replace=[("<StartTime>2026-01-05T06:00:00Z", "<StartTime>2026-01-32T06:00:00Z")]),
     "invalid_input", "not a valid date"),
    (_schedule(replace=[("<ID>20</ID>", "<ID>10</ID>")]), "bad_value", "operation '10' appears twice"),
    (_schedule(replace=[("<MaterialDefinitionID>FG-100</MaterialDefinitionID>", "")]), "missing_element", "has no MaterialDefinitionID"),
    (_schedule(replace=[("<UnitOfMeasure>KG</UnitOfMeasure>", "")]), "missing_element", "Quantity without UnitOfMeasure"),
    (_schedule(replace=[("<Duration>PT2H</Duration>", "<Duration>two hours</Duration>")]), "bad_value", "'two hours' is not an xs:duration"),
]

@pytest.mark.parametrize("text, code, words", BAD, ids=[b[1] + ":" + b[2][:30] for b in BAD])
def test_bad_documents_are_refused_with_a_reason_naming_the_fault(text, code, words):
    with pytest.raises(mes.errors.MesError) as info:
        mes.erpschedule.read(text)
    assert info.value.code == code
    assert words in info.value.message

def test_a_second_produced_item_in_one_request_is_refused():
    text = _schedule(replace=[("<MaterialConsumedRequirement>\n            <MaterialDefinitionID>RM-FILM",
                               "<MaterialProducedRequirement>\n            <MaterialDefinitionID>RM-FILM"),
                              ("</MaterialConsumedRequirement>\n        </SegmentRequirement>\n      </ProductionRequest>",
                               "</MaterialProducedRequirement>\n        </SegmentRequirement>\n      </ProductionRequest>")])
    with pytest.raises(mes.errors.MesError) as info:
        mes.erpschedule.read(text)
    assert "produces 'FG-100' and 'RM-FILM'" in info.value.message

def test_references_to_unknown_items_and_units_are_refused():
    record = mes.erpschedule.read(case("schedule_v0600.xml"))
    items = {"FG-100": "EA", "RM-PREFORM": "EA", "RM-CAP": "EA"}
    with pytest.raises(mes.errors.MesError) as info:
        mes.erpschedule.check_references(record, items, {"EA", "KG"})
    assert info.value.message == ("Work order 'WO-1001' operation '20' refers to the unknown item 'RM-FILM'; "
                                  "send its MaterialDefinition first.")
    items["RM-FILM"] = "KG"
    with pytest.raises(mes.errors.MesError) as info:
        mes.erpschedule.check_references(record, items, {"EA"})
    assert info.value.message == "Work order 'WO-1001' operation '20' uses the unknown unit 'KG'."
    items["RM-FILM"] = "G"
    with pytest.raises(mes.errors.MesError) as info:
        mes.erpschedule.check_references(record, items, {"EA", "KG", "G"})
    assert "gives 'RM-FILM' in 'KG' but the item is kept in 'G'" in info.value.message

@pytest.mark.parametrize("text, seconds", [("PT4H30M", 16200), ("P1DT1S", 86401), ("PT0.5S", 0.5), ("PT90M", 5400)])
def test_durations_convert_to_seconds(text, seconds):
    assert mes.erpschedule.duration_seconds(text) == seconds

@pytest.mark.parametrize("text, millis", [
    ("2026-01-05T06:00:00Z", 1767592800000), ("2026-01-05T07:00:00+01:00", 1767592800000),
    ("2026-01-05", 1767571200000), ("2026-01-05T06:00:00.250Z", 1767592800250)])
def test_iso_times_convert_to_epoch_milliseconds(text, millis):
    assert mes.erpxml.parse_time(text) == millis
    assert mes.erpxml.parse_time(mes.erpxml.format_time(millis)) == millis
