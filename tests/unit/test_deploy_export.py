"""genba export: the archive layout, resource.json fields, determinism and bad input."""
import argparse
import hashlib
import io
import json
import os
import shutil
import zipfile

import pytest

from harness.exporter import build_export, write_export, zip_bytes
from harness.exporter_format import DeployError, signature

CASES = os.path.join(os.path.dirname(__file__), os.pardir, "cases", "deploy")
FIXTURE = os.path.join(CASES, "project")
EPOCH = 1767592800  # 2026-01-05T06:00:00Z


def golden(name):
    with open(os.path.join(CASES, "golden", name), encoding="utf-8") as handle:
        return handle.read().splitlines()


@pytest.fixture
def project(tmp_path):
    target = tmp_path / "project"
    shutil.copytree(FIXTURE, target)
    return target


def resource(export, path):
    return json.loads(export.entries[path].decode("utf-8"))


def test_8_3_archive_holds_exactly_the_golden_listing():
    export = build_export(FIXTURE, "8.3", epoch=EPOCH)
    assert list(export.entries) == golden("archive-8.3.txt")


def test_8_1_archive_is_the_8_3_archive_without_gateway_events():
    export = build_export(FIXTURE, "8.1", epoch=EPOCH)
    assert list(export.entries) == golden("archive-8.1.txt")


def test_script_module_resource_carries_the_fields_ignition_writes():
    export = build_export(FIXTURE, "8.3", epoch=EPOCH)
    doc = resource(export, "ignition/script-python/mes/dispatch/queue/resource.json")
    sig = doc["attributes"].pop("lastModificationSignature")
    assert doc == {
        "scope": "A", "version": 1, "restricted": False, "overridable": True,
        "files": ["code.py"],
        "attributes": {"lastModification": {"actor": "genba", "timestamp": "2026-01-05T06:00:00Z"},
                       "hintScope": 2},
    }
    code = export.entries["ignition/script-python/mes/dispatch/queue/code.py"]
    assert sig == signature(doc, {"code.py": code})
    with open(os.path.join(FIXTURE, "scripts", "mes", "dispatch", "queue.py"), "rb") as handle:
        assert code == handle.read()


def test_view_resource_is_gateway_scoped_version_1_listing_view_json():
    export = build_export(FIXTURE, "8.3", epoch=EPOCH)
    doc = resource(export, "com.inductiveautomation.perspective/views/Line Overview/resource.json")
    assert (doc["scope"], doc["version"], doc["files"]) == ("G", 1, ["view.json"])
    assert sorted(doc["attributes"]) == ["lastModification", "lastModificationSignature"]


def test_a_view_thumbnail_travels_with_its_view(project):
    (project / "views" / "Line Overview" / "thumbnail.png").write_bytes(b"\x89PNG-not-really")
    export = build_export(str(project), "8.3", epoch=EPOCH)
    base = "com.inductiveautomation.perspective/views/Line Overview/"
    assert resource(export, base + "resource.json")["files"] == ["view.json", "thumbnail.png"]
    assert export.entries[base + "thumbnail.png"] == b"\x89PNG-not-really"


def test_named_query_resource_is_version_2_with_numeric_sql_types_and_designer_defaults():
    export = build_export(FIXTURE, "8.3", epoch=EPOCH)
    doc = resource(export, "ignition/named-query/dispatch/queue_for_center/resource.json")
    attrs = doc["attributes"]
    attrs.pop("lastModificationSignature")
    attrs.pop("lastModification")
    assert (doc["scope"], doc["version"], doc["files"]) == ("DG", 2, ["query.sql"])
    assert attrs == {
        "autoBatchEnabled": False, "cacheAmount": 1, "cacheEnabled": False, "cacheUnit": "SEC",
        "database": "", "enabled": True, "fallbackEnabled": False, "fallbackValue": "",
        "maxReturnSize": 100, "permissions": [{"role": "", "zone": ""}], "type": "Query",
        "useMaxReturnSize": False,
        "parameters": [{"type": "Parameter", "identifier": "center", "sqlType": 7}],
    }


def test_gateway_events_go_out_in_the_8_3_file_layout_with_settings_as_attributes():
    export = build_export(FIXTURE, "8.3", epoch=EPOCH)
    timer = resource(export, "ignition/timer/OEE Tick/resource.json")
    change = resource(export, "ignition/tag-change/MachineState/resource.json")
    assert (timer["scope"], timer["files"]) == ("G", ["handleTimerEvent.py"])
    assert {k: v for k, v in timer["attributes"].items() if not k.startswith("lastMod")} == {
        "delay": 5000, "enabled": True, "fixedDelay": True, "sharedThread": True}
    assert {k: v for k, v in change["attributes"].items() if not k.startswith("lastMod")} == {
        "changeTypes": ["ValueChange", "QualityChange"], "enabled": True,
        "paths": ["[default]Plant/Line 1/Filler/State"]}
    assert export.entries["ignition/startup/onStartup.py"] == (
        b'def onStartup():\n\tsystem.util.getLogger("genba").info("started")\n')


def test_8_1_export_lists_each_gateway_event_with_a_paste_ready_script():
    export = build_export(FIXTURE, "8.1", epoch=EPOCH)
    sheet = export.manual_events
    assert "Project > Gateway Events" in sheet
    assert ("== tag-change MachineState ==\n"
            'settings: {"changeTypes": ["value", "quality"], "enabled": true, "paths": '
            '["[default]Plant/Line 1/Filler/State"]}\n'
            "----- script -----\n"
            "def onTagChange(initialChange, newValue, previousValue, event, executionCount):\n"
            "\tif not initialChange:\n"
            "\t\tmes.oee.record_state(str(event.tagPath), newValue.value)\n"
            "onTagChange(initialChange, newValue, previousValue, event, executionCount)\n"
            "------------------") in sheet
    assert ("\tdef handleMessage(payload):\n"
            "\t\treturn mes.dispatch.queue.release(payload)\n"
            "\treturn handleMessage(payload)") in sheet
    assert [e[:2] for e in export.events] == [
        ("message", "ReleaseOrder"), ("startup", ""), ("tag-change", "MachineState"),
        ("timer", "OEE Tick")]


def test_tag_export_is_one_provider_root_with_the_files_merged_in_sorted_order():
    export = build_export(FIXTURE, "8.3", epoch=EPOCH)
    root = json.loads(export.tags["default"].decode("utf-8"))
    assert (root["name"], root["tagType"]) == ("", "Provider")
    assert [t["name"] for t in root["tags"]] == ["Plant", "_types_"]
    assert [t["name"] for t in root["tags"][0]["tags"]] == ["OEE Rollup", "Line 1"]
    state = root["tags"][1]["tags"][1]["tags"][0]
    assert state["opcItemPath"] == {"bindType": "parameter", "binding": "ns=1;s=[{Device}]State"}


def test_same_source_gives_a_byte_identical_archive(project, tmp_path):
    first = write_export(build_export(str(project), "8.3", epoch=EPOCH), str(tmp_path / "a.zip"))
    os.utime(project / "scripts" / "mes" / "oee.py", (0, 0))
    second = write_export(build_export(str(project), "8.3", epoch=EPOCH), str(tmp_path / "b.zip"))
    for role in first:
        with open(first[role], "rb") as a, open(second[role], "rb") as b:
            assert hashlib.sha256(a.read()).digest() == hashlib.sha256(b.read()).digest(), role


def test_source_date_epoch_sets_every_timestamp(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    export = build_export(FIXTURE, "8.3")
    archive = zipfile.ZipFile(io.BytesIO(zip_bytes(export.entries, export.epoch)))
    assert {i.date_time for i in archive.infolist()} == {(2026, 1, 5, 6, 0, 0)}
    assert [i.filename for i in archive.infolist()] == list(export.entries)
    stamps = {json.loads(export.entries[n])["attributes"]["lastModification"]["timestamp"]
              for n in export.entries if n.endswith("resource.json")}
    assert stamps == {"2026-01-05T06:00:00Z"}


def test_a_changed_module_changes_its_signature_and_nothing_else(project):
    before = build_export(str(project), "8.3", epoch=EPOCH).entries
    with open(project / "scripts" / "mes" / "oee.py", "a", encoding="utf-8") as handle:
        handle.write("\n# tuned\n")
    after = build_export(str(project), "8.3", epoch=EPOCH).entries
    changed = sorted(n for n in before if before[n] != after[n])
    assert changed == ["ignition/script-python/mes/oee/code.py",
                       "ignition/script-python/mes/oee/resource.json"]


@pytest.mark.parametrize("edit, expected", [
    (("views/Dispatch/Queue/view.json", ["root", "children", 2, "props"], []),
     "views/Dispatch/Queue/view.json: $.root.children[2].props: expected object, got array"),
    (("views/Line Overview/view.json", ["root", "type"], "ia.display.label"),
     "views/Line Overview/view.json: $.root.type: the root component must be a container "
     "(ia.container.*), got 'ia.display.label'"),
    (("views/Line Overview/view.json", ["root", "children", 0, "meta"], {}),
     "views/Line Overview/view.json: $.root.children[0].meta.name: a component needs a name"),
    (("views/Dispatch/Queue/view.json",
      ["root", "children", 1, "propConfig", "props.text", "binding", "type"], "tagg"),
     "views/Dispatch/Queue/view.json: $.root.children[1].propConfig['props.text'].binding.type: "
     "unknown binding type 'tagg' (expected one of tag, property, expr, expr-struct, query, http, "
     "tag-history)"),
    (("tags/default/plant.json", ["tags", 0, "tags", 0, "tagType"], "UdtInstanse"),
     "tags/default/plant.json: $.tags[0].tags[0].tagType: unknown tag type 'UdtInstanse' (expected "
     "one of Provider, Folder, AtomicTag, UdtType, UdtInstance)"),
    (("tags/default/types.json", ["tags", 1, "tags", 0, "eventScripts", 0, "script"], 3),
     "tags/default/types.json: $.tags[1].tags[0].eventScripts[0].script: expected string, got number"),
    (("db/queries/dispatch/queue_for_center.json", ["parameters", 0, "sqlType"], "Varchar"),
     "db/queries/dispatch/queue_for_center.json: $.parameters[0].sqlType: expected a data type name "
     "(Int1, Int2, Int4, Int8, Float4, Float8, Boolean, String, DateTime, Text), got 'Varchar'"),
    (("events/timer/OEE Tick/config.json", ["delay"], "5s"),
     "events/timer/OEE Tick/config.json: $.delay: expected a positive number of milliseconds"),
    (("events/tag-change/MachineState/config.json", ["changeTypes"], ["value", "alarm"]),
     "events/tag-change/MachineState/config.json: $.changeTypes: expected an array of quality, "
     "timestamp, value"),
])
def test_bad_input_names_the_file_and_json_path(project, edit, expected):
    rel, path, value = edit
    target = project / rel
    doc = json.loads(target.read_text(encoding="utf-8"))
    node = doc
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    target.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(DeployError) as caught:
        build_export(str(project), "8.3", epoch=EPOCH)
    assert [str(p) for p in caught.value.problems] == [expected]


def test_malformed_json_names_line_and_column(project):
    (project / "views" / "Line Overview" / "view.json").write_text('{\n  "root": {,\n}',
                                                                   encoding="utf-8")
    with pytest.raises(DeployError) as caught:
        build_export(str(project), "8.3", epoch=EPOCH)
    assert [str(p) for p in caught.value.problems] == [
        "views/Line Overview/view.json: $: invalid JSON at line 2 column 12: Expecting property "
        "name enclosed in double quotes"]


def test_a_tag_defined_in_two_files_is_refused(project):
    (project / "tags" / "default" / "zz.json").write_text(json.dumps(
        {"name": "Plant", "tagType": "Folder", "tags": [
            {"name": "line 1", "tagType": "Folder", "tags": [
                {"name": "Shift", "tagType": "AtomicTag", "dataType": "Int4"}]}]}),
        encoding="utf-8")
    with pytest.raises(DeployError) as caught:
        build_export(str(project), "8.3", epoch=EPOCH)
    assert [str(p) for p in caught.value.problems] == [
        "tags/default/zz.json: Plant/Line 1/Shift: tag is also defined in tags/default/plant.json"]


def test_a_module_and_a_package_of_the_same_name_are_refused(project):
    (project / "scripts" / "mes" / "dispatch.py").write_text("X = 1\n", encoding="utf-8")
    with pytest.raises(DeployError) as caught:
        build_export(str(project), "8.3", epoch=EPOCH)
    assert [str(p) for p in caught.value.problems] == [
        "scripts/mes/dispatch.py: $: a module and a package share the name 'dispatch'"]


def test_export_command_writes_archive_tags_and_the_8_1_sheet(tmp_path, capsys):
    from importlib import import_module

    command = import_module("harness.commands.export")
    parser = argparse.ArgumentParser()
    command.add_parser(parser.add_subparsers())
    args = parser.parse_args(["export", "--project", FIXTURE, "--ignition", "8.1", "--epoch",
                              str(EPOCH), "-o", str(tmp_path / "dist" / "genba.zip")])
    assert args.func(args) == 0
    assert sorted(os.listdir(tmp_path / "dist")) == [
        "genba-gateway-events-8.1.txt", "genba-tags-default.json", "genba.zip"]
    out = capsys.readouterr().out
    assert "MANUAL STEP for 8.1: 4 gateway event(s) are not in the archive" in out


def test_a_view_inside_another_view_is_refused(project):
    inner = project / "views" / "Line Overview" / "Detail"
    inner.mkdir()
    shutil.copy(project / "views" / "Line Overview" / "view.json", inner / "view.json")
    with pytest.raises(DeployError) as caught:
        build_export(str(project), "8.3", epoch=EPOCH)
    assert [str(p) for p in caught.value.problems] == [
        "com.inductiveautomation.perspective/views/Line Overview/Detail: $: lies inside the "
        "resource com.inductiveautomation.perspective/views/Line Overview; Ignition cannot hold a "
        "resource inside another"]


def test_archive_entries_are_stored_with_fixed_permissions():
    export = build_export(FIXTURE, "8.3", epoch=EPOCH)
    archive = zipfile.ZipFile(io.BytesIO(zip_bytes(export.entries, export.epoch)))
    assert {(i.compress_type, i.external_attr >> 16, i.create_system)
            for i in archive.infolist()} == {(zipfile.ZIP_STORED, 0o100644, 3)}
    assert {i.filename: archive.read(i) for i in archive.infolist()} == export.entries


def test_sibling_components_with_the_same_name_are_refused(project):
    path = project / "views" / "Dispatch" / "Queue" / "view.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["root"]["children"][3]["meta"]["name"] = "Release"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(DeployError) as caught:
        build_export(str(project), "8.3", epoch=EPOCH)
    assert [str(p) for p in caught.value.problems] == [
        "views/Dispatch/Queue/view.json: $.root.children[3].meta.name: 'Release' is also the name "
        "of $.root.children[2]; sibling components need distinct names"]
