"""Pure material rules: lot usability and status changes, split/merge checks, BOM line choice,
scan quantity, backflush plan, variance, cycle detection and the shape of a trace."""
from __future__ import annotations

import pytest

from material_library import load_mes

mes = load_mes()
TODAY = "2026-01-05"


def lot(**over):
    base = {"unit_id": 1, "item_id": "RESIN-A", "lot_no": "L1", "status": "released", "qty": 10.0,
            "uom": "KG", "expiry_date": "2026-06-30", "status_reason": None, "location": None}
    base.update(over)
    return base


def raised(fn, *args):
    with pytest.raises(mes.errors.MesError) as caught:
        fn(*args)
    return type(caught.value).__name__, caught.value.details


@pytest.mark.parametrize("over, error, expected, got", [
    ({"status": "hold", "status_reason": "NCR-7"}, "LotOnHold", "released", "hold"),
    ({"status": "quarantine"}, "LotQuarantined", "released", "quarantine"),
    ({"status": "expired"}, "LotExpired", ">= 2026-01-05", "2026-06-30"),
    ({"expiry_date": "2026-01-04"}, "LotExpired", ">= 2026-01-05", "2026-01-04"),
    ({"status": "consumed", "qty": 0.0}, "LotConsumed", "released", "consumed"),
    ({"qty": 0.0}, "LotConsumed", "released", "consumed"),
])
def test_a_lot_that_may_not_be_used_names_expected_and_got(over, error, expected, got):
    name, details = raised(mes.lot.check_usable, lot(**over), TODAY)
    assert (name, details["expected"], details["got"]) == (error, expected, got)


def test_a_lot_is_usable_through_its_expiry_day():
    assert mes.lot.check_usable(lot(expiry_date=TODAY), TODAY)["lot_no"] == "L1"
    assert mes.lot.is_expired("2026-01-04", TODAY) is True
    assert mes.lot.is_expired(None, TODAY) is False


def test_hold_message_carries_the_reason():
    error = mes.lot.usability_error(lot(status="hold", status_reason="NCR-7"), TODAY)
    assert error.message == "Lot 'L1' is on hold (NCR-7); expected status 'released'."


@pytest.mark.parametrize("qty, error", [(0, "InvalidQuantity"), (-1.0, "InvalidQuantity"), (10.5, "InsufficientQuantity")])
def test_quantity_must_be_positive_and_held_by_the_lot(qty, error):
    assert raised(mes.lot.check_quantity, lot(), qty)[0] == error


@pytest.mark.parametrize("start, target, allowed", [
    ("quarantine", "released", True), ("quarantine", "hold", True), ("released", "hold", True),
    ("hold", "released", True), ("expired", "released", False), ("consumed", "released", False),
    ("released", "consumed", False), ("quarantine", "expired", False),
])
def test_status_changes_follow_the_transition_table(start, target, allowed):
    if allowed:
        mes.lot.check_transition(lot(status=start), target)
    else:
        name, details = raised(mes.lot.check_transition, lot(status=start), target)
        assert (name, details["got"]) == ("StatusChangeRefused", target)


def test_split_leaves_the_rest_on_the_parent_and_refuses_taking_everything():
    assert mes.lot.plan_split(lot(), 4.0, "L1-A") == 6.0
    assert raised(mes.lot.plan_split, lot(), 10.0, "L1-A") == ("InvalidQuantity", {"expected": "< 10.0", "got": 10.0})
    assert raised(mes.lot.plan_split, lot(), 1.0, "L1")[0] == "InvalidInput"


def test_merge_adds_sources_to_the_target_quantity():
    sources = [lot(unit_id=2, lot_no="L2", qty=3.0), lot(unit_id=3, lot_no="L3", qty=2.5)]
    assert mes.lot.plan_merge(sources, lot(), TODAY) == 15.5


@pytest.mark.parametrize("source, error, got", [
    (lot(unit_id=2, lot_no="L2", item_id="RESIN-B"), "MergeRejected", "RESIN-B"),
    (lot(unit_id=2, lot_no="L2", uom="LB"), "MergeRejected", "LB"),
    (lot(unit_id=1), "MergeRejected", "L1"),
    (lot(unit_id=2, lot_no="L2", status="hold"), "LotOnHold", "hold"),
])
def test_merge_refuses_other_items_units_itself_and_unusable_lots(source, error, got):
    name, details = raised(mes.lot.plan_merge, [source], lot(), TODAY)
    assert (name, details["got"]) == (error, got)


def test_a_lot_listed_twice_in_a_merge_is_refused():
    twice = [lot(unit_id=2, lot_no="L2"), lot(unit_id=2, lot_no="L2")]
    assert raised(mes.lot.plan_merge, twice, lot(), TODAY) == ("MergeRejected", {"expected": "each lot once", "got": "L2"})


LINES = [
    {"id": 1, "line_no": 10, "item_id": "RESIN-A", "station": "ST1", "consumption_mode": "actual", "remaining": 0.0, "uom": "KG", "op_seq": 10},
    {"id": 2, "line_no": 20, "item_id": "RESIN-A", "station": "ST1", "consumption_mode": "actual", "remaining": 5.0, "uom": "KG", "op_seq": 10},
    {"id": 3, "line_no": 30, "item_id": "SCREW-M3", "station": None, "consumption_mode": "backflush", "remaining": None, "uom": "EA", "op_seq": 10},
    {"id": 4, "line_no": 40, "item_id": "PCB-100", "station": "ST2", "consumption_mode": "actual", "remaining": 1.0, "uom": "EA", "op_seq": 20},
]


def test_a_scan_goes_to_the_first_line_of_its_item_that_still_needs_material():
    assert mes.material.pick_line(LINES, "RESIN-A", "ST1")["line_no"] == 20


def test_a_scan_at_another_station_names_the_stations_of_the_item():
    assert raised(mes.material.pick_line, LINES, "PCB-100", "ST1") == ("WrongStation", {"expected": ["ST2"], "got": "ST1"})


def test_a_backflushed_item_is_not_consumed_by_scan():
    assert raised(mes.material.pick_line, LINES, "SCREW-M3", "ST1") == ("BackflushedItem", {"expected": "actual", "got": "backflush"})


def test_an_item_not_on_the_bom_names_every_item_needed():
    name, details = raised(mes.material.check_item, LINES, "RESIN-B", "Lot 'X'", "WO-1")
    assert (name, details) == ("WrongItem", {"expected": ["PCB-100", "RESIN-A", "SCREW-M3"], "got": "RESIN-B"})


def test_a_lot_in_another_unit_of_measure_than_the_line_is_refused():
    assert raised(mes.material.check_uom, LINES[1], lot(uom="LB")) == ("WrongUnitOfMeasure", {"expected": "KG", "got": "LB"})
    mes.material.check_uom(LINES[1], lot())


@pytest.mark.parametrize("requested, label, on_hand, expected", [
    (2.0, 7, 10.0, 2.0), (None, 7, 10.0, 7), (None, None, 10.0, 5.0), (None, None, 3.0, 3.0)])
def test_scan_quantity_is_requested_then_label_count_then_open_need_capped_by_stock(requested, label, on_hand, expected):
    assert mes.material.consume_qty(LINES[1], on_hand, requested, label) == expected


def test_a_scan_without_quantity_on_a_satisfied_line_asks_for_one():
    assert raised(mes.material.consume_qty, LINES[0], 10.0, None, None)[0] == "InvalidQuantity"


def test_backflush_takes_lots_in_order_until_the_need_is_met():
    lots = [lot(lot_no="A", qty=3.0), lot(lot_no="B", qty=5.0), lot(lot_no="C", qty=5.0)]
    assert [(l["lot_no"], q) for l, q in mes.bom.plan_backflush(6.0, lots)] == [("A", 3.0), ("B", 3.0)]
    assert raised(mes.bom.plan_backflush, 20.0, lots) == ("InsufficientQuantity", {"expected": 20.0, "got": 13.0})


def test_variance_is_actual_minus_qty_per_times_completed_with_percent_half_up():
    rows = mes.bom.variance_rows([{"line_no": 10, "item_id": "RESIN-A", "uom": "KG", "consumption_mode": "actual",
                                   "qty_per": 0.5, "consumed": 52.125}], 100)
    assert rows == [{"line_no": 10, "item_id": "RESIN-A", "uom": "KG", "consumption_mode": "actual",
                     "standard": 50.0, "actual": 52.125, "variance": 2.125, "variance_pct": 4.25}]


def test_find_cycle_returns_the_closing_path_or_none():
    assert mes.genealogy.find_cycle([(1, 2), (2, 3), (3, 4)]) is None
    assert mes.genealogy.find_cycle([(1, 2), (2, 3), (3, 1), (5, 1)]) == [1, 2, 3, 1]
    assert mes.genealogy.find_cycle([(1, 2), (1, 3), (2, 4), (3, 4)]) is None


@pytest.mark.parametrize("direction, depth, nodes, error", [
    ("sideways", 10, 10, "InvalidInput"), ("backward", 0, 10, "InvalidInput"), ("forward", 10, True, "InvalidInput")])
def test_trace_limits_and_direction_are_checked(direction, depth, nodes, error):
    assert raised(mes.genealogy.trace_sql, direction, 1, depth, nodes)[0] == error


def edge(edge_id, src, dst):
    return {"id": edge_id, "input_unit_id": src, "output_unit_id": dst, "kind": "consume", "qty": 1, "uom": "EA",
            "wo_id": "WO", "op_seq": 10, "station": "S", "operator": "ann", "at": "2026-01-05 06:00:00",
            "measurement_refs": '["m-1"]'}


def node(unit_id, depth, code, kind="lot"):
    return (unit_id, depth, kind, "X", code)


ROOT = {"unit_id": 9, "kind": "serial", "item_id": "X", "code": "SN9"}
NODE_ROWS = [node(9, 0, "SN9", "serial"), node(6, 1, "U6"), node(5, 1, "U5"), node(7, 2, "U7")]


def test_trace_shape_orders_units_by_depth_then_unit_id():
    result = mes.genealogy.shape(ROOT, "backward", NODE_ROWS, None, 10, 100)
    assert [(n["code"], n["depth"]) for n in result["nodes"]] == [("SN9", 0), ("U5", 1), ("U6", 1), ("U7", 2)]
    assert (result["truncated"], result["depth_reached"], "edges" in result) == (False, 2, False)


def test_trace_shape_keeps_edges_between_reached_units_only_when_asked():
    edges = [edge(3, 7, 5), edge(1, 5, 9), edge(2, 6, 9), edge(4, 8, 7)]
    result = mes.genealogy.shape(ROOT, "backward", NODE_ROWS, edges, 10, 100)
    assert [e["id"] for e in result["edges"]] == [1, 2, 3]
    assert result["edges"][0]["measurement_refs"] == ["m-1"]


def test_one_row_more_than_the_fan_out_limit_marks_the_trace_truncated():
    result = mes.genealogy.shape(ROOT, "backward", NODE_ROWS, None, 10, 3)
    assert [n["code"] for n in result["nodes"]] == ["SN9", "U5", "U6"]
    assert result["truncated"] is True


@pytest.mark.parametrize("value, text", [
    ("L-1", "'L-1'"), (u"It's", "'It\\'s'"), (5, "5"), (2.5, "2.5"), (None, "None"), (True, "True"),
    (["A", 1], "['A', 1]"), (("A",), "('A',)")])
def test_values_in_messages_read_the_same_on_every_host(value, text):
    assert mes.inventory.shown(value) == text


def test_fmt_changes_only_the_r_conversions():
    assert mes.inventory.fmt("Lot %r holds %d %s (%.1f%%).", u"L-1", 3, "KG", 12.5) == "Lot 'L-1' holds 3 KG (12.5%)."
