"""The view preview without a browser: bindings, scripts with the Perspective context, the HTTP API."""
import json
import os
import sys
import urllib.request

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from preview_project import write_project  # noqa: E402

from harness import Gateway  # noqa: E402
from harness.preview import PreviewServer  # noqa: E402


@pytest.fixture
def server(tmp_path):
    project = write_project(tmp_path)
    gw = Gateway(project=project, clock="virtual", databases={"genba": "sqlite:///%s/p.db" % tmp_path},
                 default_database="genba")
    srv = PreviewServer(gw, port=0, tick=0.05).start()
    yield srv
    srv.stop()
    gw.shutdown()


def page_of(server, view="Test/Bindings", params=None):
    page = server.host.open_page("sid-1", view, params or {})
    return page, dict((c.name, c) for c in page.view.root.walk())


def text(components, name):
    return components[name].state["props"]["text"]


def test_tag_property_expression_map_script_and_query_bindings_resolve(server):
    page, c = page_of(server)
    assert text(c, "Direct") == 12.5
    assert text(c, "Indirect") == "running"
    assert text(c, "Double") == 25.0
    assert text(c, "Param") == "State"
    assert text(c, "Mapped") == "green"
    assert text(c, "Scripted") == "speed 12.5"
    assert text(c, "Query") == 42


def test_view_params_from_the_url_feed_indirect_bindings(server):
    page, c = page_of(server, params={"member": "Speed"})
    assert text(c, "Indirect") == 12.5
    assert text(c, "Param") == "Speed"


def test_an_unsupported_expression_and_a_missing_tag_show_errors_not_values(server):
    page, c = page_of(server)
    assert text(c, "Bad") is None
    assert c["Bad"].bindings.errors == {
        "props.text": "the preview does not implement the expression function dateFormat()"}
    assert c["Missing"].bindings.errors == {"props.text": "tag [default]Test/Nope: quality Bad_NotFound"}


def test_an_unsupported_component_stays_in_the_snapshot_with_its_type(server):
    page, _ = page_of(server)
    gauge = [n for n in page.snapshot()["tree"]["children"] if n["name"] == "Gauge"][0]
    assert (gauge["type"], gauge["props"]) == ("ia.display.gauge", {"value": 3})


def test_a_tag_change_reaches_the_bound_prop_on_the_next_refresh(server):
    page, c = page_of(server)
    with server.host.lock:
        server.host.gw.write("[default]Test/Speed", 30.0)
    server.host.refresh_all()
    assert (text(c, "Direct"), text(c, "Double"), text(c, "Scripted")) == (30.0, 60.0, "speed 30.0")


def test_an_event_script_sees_self_view_session_and_sends_a_message(server):
    page, c = page_of(server)
    page.session.sign_in("ana", ["operator"])
    server.host.event(page.pid, c["Click"].cid, "onActionPerformed", {})
    assert text(c, "Out") == "State clicked by ana"
    assert text(c, "Counter") == "bumped 1"
    assert text(c, "Query") == 43  # the query parameter changed with view.custom.clicks


def test_navigate_and_popups_are_reported_to_the_browser(server):
    page, c = page_of(server)
    server.host.event(page.pid, c["Popup"].cid, "onActionPerformed", {})
    snapshot = page.snapshot()
    assert [(p["id"], p["title"], p["tree"]["children"][0]["props"]["text"]) for p in snapshot["popups"]] == \
        [("p1", "Other", 12.5)]
    server.host.event(page.pid, c["Go"].cid, "onActionPerformed", {})
    assert page.snapshot()["navigate"] == {"view": "Test/Other", "params": {"member": "Speed"}}


def test_a_perspective_function_that_is_not_emulated_is_reported_on_the_page(server):
    page, c = page_of(server)
    server.host.event(page.pid, c["Download"].cid, "onActionPerformed", {})
    assert page.notices[-1]["where"] == "Download.onActionPerformed"
    assert page.notices[-1]["error"].startswith("NotEmulated: system.perspective.download is not emulated")


def test_the_http_api_serves_a_page_its_snapshot_and_prop_writes(server):
    with urllib.request.urlopen(server.url + "/view/Test/Bindings?member=Speed") as response:
        html = response.read().decode("utf-8")
        cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("genba_session=")
    pid = html.split('data-page="')[1].split('"')[0]
    with urllib.request.urlopen(server.url + "/api/snapshot?page=" + pid) as response:
        snapshot = json.loads(response.read().decode("utf-8"))
    assert snapshot["tree"]["children"][1]["props"]["text"] == 12.5
    out = [n for n in snapshot["tree"]["children"] if n["name"] == "Out"][0]
    body = json.dumps({"page": pid, "id": out["id"], "prop": "props.text", "value": "typed"}).encode("utf-8")
    request = urllib.request.Request(server.url + "/api/write", body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        after = json.loads(response.read().decode("utf-8"))
    assert [n["props"]["text"] for n in after["tree"]["children"] if n["name"] == "Out"] == ["typed"]


def test_typing_into_a_bidirectional_tag_binding_writes_the_tag(server):
    page, c = page_of(server)
    assert text(c, "Editor") == "running"
    server.host.write(page.pid, c["Editor"].cid, "props.text", "stopped")
    assert server.host.gw.read("[default]Test/State").value == "stopped"
    assert (text(c, "Indirect"), text(c, "Mapped")) == ("stopped", "grey")
