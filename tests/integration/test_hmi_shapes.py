"""mes.hmi on the demo history: the rows and trees the operator screens show."""
import pytest

from harness import Gateway
from harness.preview.demo import seed


@pytest.fixture(scope="module")
def gw(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hmi")
    gateway = Gateway(project="project", clock="virtual", start="2026-01-05T06:00:00",
                      databases={"genba": "sqlite:///%s" % folder.joinpath("genba.db")}, default_database="genba")
    seed(gateway)
    yield gateway
    gateway.shutdown()


def test_a_backward_trace_becomes_a_tree_with_one_row_per_link(gw):
    view = gw.call("mes.hmi.trace_view", "PMP-0991", "backward")
    assert view["summary"] == "Backward trace of PMP-0991: 5 units, 4 links, depth 2"
    root = view["items"][0]
    assert root["label"] == "PMP-0991  PUMP-100"
    assert [child["data"]["code"] for child in root["items"]] == ["BRG-L101", "H-0990"]
    assert [child["data"]["code"] for child in root["items"][1]["items"]] == ["R-5501", "R-5502"]
    assert [(row["output"], row["input"], row["qty"]) for row in view["rows"]] == [
        ("H-0990", "R-5501", 20.0), ("H-0990", "R-5502", 5.0), ("PMP-0991", "BRG-L101", 2.0),
        ("PMP-0991", "H-0990", 2.0)]


def test_a_forward_trace_shows_where_a_lot_went(gw):
    view = gw.call("mes.hmi.trace_view", "R-5501", "forward")
    assert [view["items"][0]["data"]["code"], view["items"][0]["items"][0]["data"]["code"],
            view["items"][0]["items"][0]["items"][0]["data"]["code"]] == ["R-5501", "H-0990", "PMP-0991"]


def test_an_empty_search_asks_for_a_code(gw):
    assert gw.call("mes.hmi.trace_view", "  ", "backward") == {
        "items": [], "rows": [], "summary": "Enter a lot or serial number."}


def test_bom_rows_of_an_order_and_of_nothing(gw):
    assert gw.call("mes.hmi.bom_rows", "WO-1001", 10) == [
        {"line_no": 10, "item_id": "BRG-6202", "required": 10.0, "consumed": 0.0, "remaining": 10.0,
         "uom": "EA", "mode": "actual"}]
    assert gw.call("mes.hmi.bom_rows", "", 0) == []
    assert gw.call("mes.hmi.bom_rows", "WO-7777", 10) == []


def test_spc_rows_carry_the_limits_of_the_individuals_chart(gw):
    rows = gw.call("mes.hmi.spc_rows", 1, 30)
    chart = gw.call("mes.inspection.chart", 1, "imr", None, 30)["chart"]["x"]
    assert len(rows) == 30
    assert [r["value"] for r in rows] == chart["points"]
    assert rows[0]["ucl"] == chart["ucl"][0] and rows[0]["cl"] == chart["center"]
    assert gw.call("mes.hmi.spc_rows", None) == []


def test_the_shift_window_of_line1_is_the_early_shift_up_to_now(gw):
    window = gw.call("mes.hmi.shift_window", "Line1")
    assert window["from_ms"] == 1767592800000  # 2026-01-05 06:00 UTC
    assert window["to_ms"] == gw.system.date.toMillis(gw.system.date.now())
    assert window["shift"].endswith("Early")
