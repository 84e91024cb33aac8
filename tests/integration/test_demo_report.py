"""`genba demo` writes an HTML report whose figures agree with the replay's database.

A shortened demo (the first 2 hours of the shift, no ERP stand-in) keeps the test short; the
report's tables are read back from the page and compared with the database rows and with
`mes.oeelive` asked again on a gateway opened on the same database.
"""
import html.parser
import json
import os
import sqlite3

import pytest

from harness.commands.demo import play


class _Tables(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.tables, self.images, self._table, self._row, self._cell = {}, [], None, None, None
        self.summary, self._in_summary = "", False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self._table = self.tables.setdefault(attrs.get("id"), [])
        elif tag == "tr" and self._table is not None:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = ""
        elif tag == "img":
            self.images.append(attrs["src"])
        elif tag == "script" and attrs.get("id") == "summary":
            self._in_summary = True

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.append(self._cell)
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self._table.append(self._row)
            self._row = None
        elif tag == "table":
            self._table = None
        elif tag == "script":
            self._in_summary = False

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data
        if self._in_summary:
            self.summary += data


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = str(tmp_path_factory.mktemp("demo"))
    summary, page, _ = play(out, hours=2.0, erp=False)
    parser = _Tables()
    with open(page, encoding="utf-8") as handle:
        parser.feed(handle.read())
    return out, summary, parser


def test_every_figure_of_the_report_is_a_png_beside_it(report):
    out, _, page = report
    assert page.images == ["oee.png", "pareto.png", "spc.png", "genealogy.png", "workorders.png"]
    for name in page.images:
        with open(os.path.join(out, name), "rb") as handle:
            assert handle.read(8) == b"\x89PNG\r\n\x1a\n"


def test_the_spc_table_lists_the_rule_hits_stored_in_the_database(report):
    out, _, page = report
    db = sqlite3.connect(os.path.join(out, "genba.db"))
    rows = db.execute("SELECT s.measurement_id, s.rule, m.value FROM qc_spc_signals s "
                      "JOIN qc_measurements m ON m.id = s.measurement_id ORDER BY s.id").fetchall()
    assert rows, "the gauge drift raised no SPC signal"
    assert page.tables["spc-signals"][1:] == [[str(mid), rule, "%.4f" % value] for mid, rule, value in rows]


def test_the_work_order_table_matches_the_operations_in_the_database(report):
    out, _, page = report
    db = sqlite3.connect(os.path.join(out, "genba.db"))
    rows = db.execute("SELECT o.wo_id, o.op_seq, o.status, o.qty_good, o.qty_scrap, w.qty_released "
                      "FROM wo_operations o JOIN work_orders w ON w.wo_id = o.wo_id "
                      "ORDER BY o.wo_id, o.op_seq").fetchall()
    assert page.tables["workorders"][1:] == [[str(v) for v in row] for row in rows]


def test_the_oee_table_matches_mes_oeelive_on_the_same_database(report):
    out, summary, page = report
    from harness import Gateway
    gw = Gateway(project="project", clock="virtual", start="2026-01-05T08:00:00",
                 databases={"genba": "sqlite:///" + os.path.join(out, "genba.db")}, default_database="genba")
    try:
        start = 1767592800000
        table = dict((row[0], row[1:]) for row in page.tables["oee"][1:])
        for machine_id in ("Line1/Filler", "Line1/Capper", "Line2/TorqueStation1"):
            k = gw.call("mes.oeelive.machine_kpis", machine_id, start, start + 120 * 60000)
            assert table[machine_id] == ["%.1f" % (100 * k[n]) for n in ("A", "P", "Q", "OEE")] + [
                str(k["GQ"]), str(k["PQ"])]
    finally:
        gw.shutdown()


def test_the_held_lot_was_refused_and_the_recall_reaches_the_finished_lot(report):
    _, summary, page = report
    assert [e["refused"] for e in summary["events"] if "refused" in e] == ["lot_quarantined"]
    assert sorted(row[0] for row in page.tables["genealogy"][1:]) == ["FG-0105", "PF-2601"]
    assert json.loads(page.summary)["machines"] == summary["machines"]


def test_no_machine_or_line_of_the_demo_reports_a_performance_above_100_percent(report):
    _, summary, _ = report
    over = dict((name, k["P"]) for group in ("machines", "lines") for name, k in summary[group].items()
                if k["P"] is not None and k["P"] > 1.0)
    assert over == {}
    assert len(summary["machines"]) == 20
