"""The project's operator screens in headless Chromium, through `genba serve`'s preview server.

One gateway with the demo history (harness.preview.demo) serves every test of this module, in
order: the station test runs WO-1001's press operation, the held-lot test then starts WO-1002.
Screenshots (1920x1080) go to test-artifacts/screens/.
"""
import os
import shutil
import sys

import pytest

from harness import Gateway
from harness.preview import PreviewServer
from harness.preview.demo import seed
from harness.pytest_plugin import skip_or_fail

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]
ARTIFACTS = os.path.join("test-artifacts", "screens")
TIMEOUT = 15000


@pytest.fixture(scope="module")
def plant(tmp_path_factory):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("the playwright package is not installed")
    if not os.path.exists(CHROMIUM):
        skip_or_fail("Debian's chromium is not installed at %s" % CHROMIUM)
    folder = tmp_path_factory.mktemp("views")
    gw = Gateway(project="project", clock="virtual", start="2026-01-05T06:00:00",
                 databases={"genba": "sqlite:///%s" % folder.joinpath("genba.db")}, default_database="genba")
    seed(gw)
    server = PreviewServer(gw, port=0).start()
    os.makedirs(ARTIFACTS, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield server, browser
        browser.close()
    server.stop()
    gw.shutdown()


def call(server, dotted, *args):
    with server.host.lock:
        return server.host.gw.call(dotted, *args)


def open_view(server, browser, view, user, password):
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    page.goto(server.url + "/view/" + view)
    page.wait_for_selector("body[data-ready='1']")
    page.fill("#login-user", user)
    page.fill("#login-password", password)
    page.click("#login-button")
    page.wait_for_selector("#logout-button")
    return page


def component(page, name):
    return page.locator("[data-component='%s']" % name).first


def message(page, expected):
    """Wait until the status line says `expected` (the screen's answer to the last click)."""
    try:
        page.wait_for_function("t => document.querySelector(\"[data-component='Message']\").textContent.includes(t)",
                               arg=expected)
    except Exception:
        raise AssertionError("the status line never said %r; it says %r"
                             % (expected, component(page, "Message").inner_text()))
    return component(page, "Message").inner_text()


def click_row(page, table, text):
    component(page, table).locator("tr", has_text=text).first.click()


def shot(page, name):
    page.wait_for_timeout(300)
    page.screenshot(path=os.path.join(ARTIFACTS, name + ".png"))


def record_step(page, value):
    if value is not None:
        component(page, "Entry").fill(value)
    component(page, "Record").click()


def test_an_operator_signs_in_scans_a_lot_and_completes_the_guided_operation_by_clicking(plant):
    server, browser = plant
    page = open_view(server, browser, "Dispatch/Station", "ana", "ana-pw")
    component(page, "StationPassword").fill("ana-pw")
    component(page, "SignIn").click()
    message(page, "ana signed in at PRESS-1")

    click_row(page, "Queue", "WO-1001")
    component(page, "Start").click()
    message(page, "Started WO-1001 / 10")
    page.wait_for_function("() => document.querySelector(\"[data-component='CurrentTileValue']\")"
                           ".textContent === 'WO-1001 / 10'")
    assert component(page, "StateTileValue").inner_text() == "RUNNING"

    component(page, "Scan").fill("BRG-L100")
    component(page, "Consume").click()
    assert message(page, "Consumed") == "Consumed 10.0 EA of BRG-6202 from lot BRG-L100"
    page.wait_for_function("() => document.querySelector(\"[data-component='Bom'] tbody td:nth-child(3)\")"
                           ".textContent === '10'")
    assert [cell.inner_text() for cell in component(page, "Bom").locator("tbody td").all()] == \
        ["BRG-6202", "10", "10", "0", "EA"]

    component(page, "NextStep").wait_for()
    page.wait_for_function("() => document.querySelector(\"[data-component='NextStep']\").textContent"
                           " === 'Next: Scan the housing serial'")
    for number, value in enumerate(["H-1001", "12.5", "G2", None], 1):
        record_step(page, value)
        message(page, "Step %d recorded" % number)
    page.wait_for_function("() => document.querySelector(\"[data-component='NextStep']\").textContent"
                           " === 'Next: Remarks'")
    component(page, "Good").fill("10")
    component(page, "Scrap").click()
    shot(page, "station")
    component(page, "Complete").click()
    assert message(page, "Completed") == "Completed WO-1001 / 10: 10 good, 0 scrap"

    operation = call(server, "mes.operation.get", "WO-1001", 10)
    assert (operation["status"], operation["qty_good"], operation["qty_scrap"]) == ("complete", 10, 0)
    steps = call(server, "mes.guidance.for_operation", "WO-1001", 10)
    assert [s["value"] for s in steps["steps"]][:4] == ["H-1001", "12.5", "G2", "true"]
    lot = call(server, "mes.lot.get", "BRG-L100", "BRG-6202")
    assert (lot["qty"], lot["status"]) == (190.0, "released")
    page.context.close()


def test_a_held_lot_cannot_be_consumed_from_the_station_screen(plant):
    server, browser = plant
    page = open_view(server, browser, "Dispatch/Station", "ben", "ben-pw")
    component(page, "StationPassword").fill("ben-pw")
    component(page, "SignIn").click()
    message(page, "ben signed in at PRESS-1")
    click_row(page, "Queue", "WO-1002")
    component(page, "Start").click()
    message(page, "Started WO-1002 / 10")
    before = call(server, "mes.lot.get", "BRG-L200", "BRG-6202")
    component(page, "Scan").fill("BRG-L200")
    component(page, "Consume").click()
    assert message(page, "BRG-L200") == \
        "Lot 'BRG-L200' is on hold (supplier deviation SD-118); expected status 'released'."
    shot(page, "station-held-lot")
    assert call(server, "mes.lot.get", "BRG-L200", "BRG-6202") == before
    assert call(server, "mes.bom.lines", "WO-1002")[0]["consumed"] == 0.0
    page.context.close()


def test_the_oee_screen_shows_the_figures_in_the_database(plant):
    server, browser = plant
    page = open_view(server, browser, "OEE/Dashboard", "lee", "lee-pw")
    page.wait_for_selector("[data-component='Pareto'] rect")
    filler = call(server, "mes.oeelive.shift_kpis", "Line1/Filler")
    card = component(page, "MachineA")
    assert card.locator("[data-component='OEEValue']").inner_text() == "%.1f%%" % (filler["OEE"] * 100)
    assert card.locator("[data-component='AValue']").inner_text() == "%.1f%%" % (filler["A"] * 100)
    window = call(server, "mes.hmi.shift_window", "Line1")
    with server.host.lock:
        pareto = server.host.gw.system.db.runNamedQuery("oee/downtime_pareto", {
            "machine_id": "Line1/Filler", "from_ms": window["from_ms"], "to_ms": window["to_ms"]})
    expected = [[pareto[i]["reason_code"], "%g" % round(pareto[i]["duration_ms"] / 60000.0, 1),
                 "%d" % pareto[i]["events"]] for i in range(len(pareto))]
    shown = [[cell.inner_text() for cell in row.locator("td").all()]
             for row in component(page, "ParetoTable").locator("tbody tr").all()]
    assert shown == expected == [["jam", "16", "2"], ["material", "6", "1"]]
    shot(page, "oee")

    with server.host.lock:  # a live change of the line OEE tag reaches the open page by itself
        server.host.gw.write("[default]OEE/Line1/Line/OEE", 0.5)
    page.wait_for_function("() => document.querySelector(\"[data-component='LineOEEValue']\").textContent"
                           " === '50.0%'")
    page.context.close()


def test_an_ncr_is_dispositioned_only_with_the_signers_password(plant):
    server, browser = plant
    page = open_view(server, browser, "Quality/Overview", "quinn", "quinn-pw")
    page.wait_for_selector("[data-component='Chart'] polyline")
    click_row(page, "Ncrs", "WO-2001")
    component(page, "Decision").select_option("rework")
    component(page, "Note").fill("re-torque the 10 housings of WO-2001")
    component(page, "SignPassword").fill("wrong")
    component(page, "Sign").click()
    refused = message(page, "quinn")
    assert "password" in refused.lower() or "authentication" in refused.lower()
    assert call(server, "mes.nonconformance.get", 1)["status"] == "open"
    shot(page, "quality")
    component(page, "SignPassword").fill("quinn-pw")
    component(page, "Sign").click()
    assert message(page, "NCR 1").startswith("NCR 1: rework, signature ")
    ncr = call(server, "mes.nonconformance.get", 1)
    assert (ncr["status"], ncr["disposition"]) == ("dispositioned", "rework")
    page.context.close()


def test_a_backward_trace_shows_the_tree_of_a_finished_lot(plant):
    server, browser = plant
    page = open_view(server, browser, "Genealogy/Trace", "quinn", "quinn-pw")
    component(page, "Code").fill("PMP-0991")
    component(page, "Trace").click()
    page.wait_for_function("() => document.querySelector(\"[data-component='Summary']\").textContent"
                           ".startsWith('Backward trace of PMP-0991')")
    assert component(page, "Summary").inner_text() == "Backward trace of PMP-0991: 5 units, 4 links, depth 2"
    labels = [item.inner_text() for item in component(page, "Tree").locator(".item").all()]
    assert [label.split()[0] for label in labels] == ["PMP-0991", "BRG-L101", "H-0990", "R-5501", "R-5502"]
    assert component(page, "Links").locator("tbody tr").count() == 4
    shot(page, "genealogy")
    page.context.close()


def test_the_work_center_screen_lists_its_queue_and_held_orders(plant):
    server, browser = plant
    for wo_id, priority in (("WO-1005", 400), ("WO-1004", 200)):
        call(server, "mes.workorder.release", "lee", wo_id, "PUMP-100", "B", 5, "2026-01-08 10:00", priority)
    page = open_view(server, browser, "Dispatch/WorkCenter", "lee", "lee-pw")
    page.wait_for_selector("[data-component='Held'] tbody tr >> text=WO-1003")
    page.wait_for_selector("[data-component='Queue'] tbody tr >> text=WO-1005")
    queue = [row.locator("td").nth(1).inner_text() for row in component(page, "Queue").locator("tbody tr").all()]
    expected = [entry["wo_id"] for entry in call(server, "mes.dispatch.queue", "L2-PRESS")]
    assert queue == expected == ["WO-1004", "WO-1005"]
    shot(page, "work-center")
    page.context.close()


def test_an_unsupported_component_renders_as_a_labelled_placeholder(plant, tmp_path):
    server, browser = plant
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from preview_project import write_project
    project = write_project(tmp_path)
    gw = Gateway(project=project, clock="virtual", databases={"genba": "sqlite:///%s/p.db" % tmp_path},
                 default_database="genba")
    other = PreviewServer(gw, port=0).start()
    try:
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.goto(other.url + "/view/Test/Bindings")
        page.wait_for_selector("body[data-ready='1']")
        assert component(page, "Gauge").inner_text() == "Unsupported component ia.display.gauge \u2014 Gauge"
        assert "dateFormat()" in component(page, "Bad").locator(".binding-error").inner_text()
        page.close()
    finally:
        other.stop()
        gw.shutdown()
    shutil.rmtree(str(tmp_path), ignore_errors=True)
