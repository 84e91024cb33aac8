"""genba import: round trips, real-shaped gateway exports, tag files, and all-or-nothing writes."""
import argparse
import hashlib
import json
import os
import shutil
import zipfile

import pytest

from harness.core.tagmodel import load_project_tags
from harness.exporter import build_export, write_export
from harness.exporter_format import DeployError
from harness.importer import import_paths

CASES = os.path.join(os.path.dirname(__file__), os.pardir, "cases", "deploy")
FIXTURE = os.path.join(CASES, "project")
GATEWAY = os.path.join(CASES, "gateway_export_83")
TAG_EXPORT = os.path.join(CASES, "tag_exports", "plant-tags-default.json")
EPOCH = 1767592800


def tree(root):
    """{relative path: sha256} of every file under root."""
    found = {}
    for here, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        for name in files:
            path = os.path.join(here, name)
            with open(path, "rb") as handle:
                found[os.path.relpath(path, root)] = hashlib.sha256(handle.read()).hexdigest()
    return found


@pytest.fixture
def project(tmp_path):
    target = tmp_path / "project"
    shutil.copytree(FIXTURE, target)
    return target


@pytest.fixture
def exported(tmp_path):
    export = build_export(FIXTURE, "8.3", epoch=EPOCH)
    return write_export(export, str(tmp_path / "dist" / "genba.zip"))


def test_import_of_the_export_reproduces_the_source_byte_for_byte(project, exported):
    result = import_paths([exported["archive"], exported["tags:default"]], str(project))
    assert (result.written, result.removed, result.unchanged) == ([], [], 17)
    assert tree(project) == tree(FIXTURE)


def test_import_into_an_empty_folder_rebuilds_an_equivalent_project(tmp_path, exported):
    fresh = tmp_path / "fresh"
    import_paths([exported["archive"], exported["tags:default"]], str(fresh))
    again = build_export(str(fresh), "8.3", epoch=EPOCH)
    original = build_export(FIXTURE, "8.3", epoch=EPOCH)
    assert again.entries == original.entries
    assert json.loads(again.tags["default"]) == json.loads(original.tags["default"])
    assert sorted(os.listdir(fresh / "tags" / "default")) == ["tags.json"]


def test_a_zip_made_by_zipping_the_project_folder_imports_the_same(tmp_path, project, exported):
    wrapped = tmp_path / "wrapped.zip"
    with zipfile.ZipFile(exported["archive"]) as src, zipfile.ZipFile(wrapped, "w") as dst:
        for info in src.infolist():
            dst.writestr("Genba_MES/" + info.filename, src.read(info))
    result = import_paths([str(wrapped)], str(project))
    assert (result.written, result.unchanged) == ([], 14)


def test_a_gateway_8_3_export_lands_in_the_project_layout(tmp_path):
    target = tmp_path / "project"
    result = import_paths([GATEWAY], str(target))
    assert result.written == [
        "db/queries/orders/by_line.json", "db/queries/orders/by_line.sql",
        "events/startup/onStartup.py", "events/tag-change/Watch/config.json",
        "events/tag-change/Watch/onTagChange.py", "events/timer/Poll/config.json",
        "events/timer/Poll/handleTimerEvent.py", "project.json", "scripts/plant/util.py",
        "views/Overview/Main Screen/thumbnail.png", "views/Overview/Main Screen/view.json"]
    assert result.warnings == ["com.inductiveautomation.perspective/page-config: not part of the "
                               "Genba project layout, skipped"]
    assert json.loads((target / "db/queries/orders/by_line.json").read_text()) == {
        "type": "Query", "database": "MES",
        "parameters": [{"identifier": "line", "sqlType": "Int4"},
                       {"identifier": "orderBy", "sqlType": "String", "type": "QueryString"}],
        "cacheAmount": 5, "cacheEnabled": True}
    assert json.loads((target / "events/timer/Poll/config.json").read_text()) == {
        "delay": 10000, "fixedDelay": False, "enabled": True, "sharedThread": False}
    assert json.loads((target / "events/tag-change/Watch/config.json").read_text()) == {
        "paths": ["[default]Plant/Line 1/State"], "changeTypes": ["value", "timestamp"],
        "enabled": False}
    assert (target / "scripts/plant/util.py").read_bytes() == (
        b'def line_name(n):\r\n\treturn "Line %d" % n\r\n')


def test_a_gateway_export_survives_import_then_export_unchanged_in_content(tmp_path):
    target = tmp_path / "project"
    import_paths([GATEWAY], str(target))
    export = build_export(str(target), "8.3", epoch=EPOCH)
    for here, _dirs, files in os.walk(GATEWAY):
        for name in files:
            rel = os.path.relpath(os.path.join(here, name), GATEWAY).replace(os.sep, "/")
            if rel.startswith("com.inductiveautomation.perspective/page-config"):
                continue
            with open(os.path.join(here, name), "rb") as handle:
                data = handle.read()
            if not rel.endswith("resource.json"):
                assert export.entries[rel] == data, rel
                continue
            theirs, ours = json.loads(data), json.loads(export.entries[rel])
            for doc in (theirs, ours):
                doc["attributes"].pop("lastModification")
                doc["attributes"].pop("lastModificationSignature")
                doc["files"].sort()
            assert ours == theirs, rel


def test_a_gateway_tag_export_loads_into_the_tag_model_with_gson_escapes_decoded(tmp_path):
    target = tmp_path / "project"
    import_paths([TAG_EXPORT], str(target))
    assert os.listdir(target / "tags") == ["default"]
    model = load_project_tags(str(target))
    leaves = {str(t.path): t.config for t in model.iter_atomic()}
    assert sorted(leaves) == [
        "[default]Stamping/Line Settings", "[default]Stamping/Operator's Note",
        "[default]Stamping/Press 1/Changed At", "[default]Stamping/Press 1/Die Table",
        "[default]Stamping/Press 1/Force", "[default]Stamping/Press 1/Force Limit",
        "[default]Stamping/Press 1/Mode", "[default]Stamping/Press 1/Overloaded"]
    assert leaves["[default]Stamping/Press 1/Force"]["opcItemPath"] == (
        'nsu=SIMATIC S7-1500;s="DB_press1"."Press"[7]."Force"')
    assert leaves["[default]Stamping/Operator's Note"]["value"] == "check die < D-2 >"
    export = build_export_tags_only(target)
    with open(TAG_EXPORT, encoding="utf-8") as handle:
        assert json.loads(export) == json.load(handle)


def build_export_tags_only(target):
    (target / "project.json").write_text('{"title": "t"}', encoding="utf-8")
    return build_export(str(target), "8.3", epoch=EPOCH).tags["default"]


def test_changed_tags_go_back_to_their_file_and_new_ones_to_the_first_file_of_their_folder(project, tmp_path):
    root = json.loads(build_export(str(project), "8.3", epoch=EPOCH).tags["default"])
    plant = root["tags"][0]
    line = plant["tags"][1]
    line["tags"][2]["value"] = "B"                                 # Plant/Line 1/Shift
    plant["tags"][0]["tags"].append({"name": "Line 2 OEE", "tagType": "AtomicTag",
                                     "valueSource": "memory", "dataType": "Float8"})
    plant["tags"].append({"name": "Utilities", "tagType": "Folder", "tags": []})
    root["tags"].append({"name": "Site", "tagType": "AtomicTag", "dataType": "String"})
    path = tmp_path / "edited-tags-default.json"
    path.write_text(json.dumps(root, indent=2), encoding="utf-8")
    before = tree(project)
    result = import_paths([str(path)], str(project))
    assert result.written == ["tags/default/imported.json", "tags/default/oee.json",
                              "tags/default/plant.json"]
    after = tree(project)
    assert after["tags/default/types.json"] == before["tags/default/types.json"]
    oee = json.loads((project / "tags/default/oee.json").read_text())
    assert [t["name"] for t in oee["tags"][0]["tags"][0]["tags"]] == ["Line 1 OEE", "Line 2 OEE"]
    plant_file = json.loads((project / "tags/default/plant.json").read_text())
    assert plant_file["name"] == "Plant"
    assert plant_file["tags"][0]["tags"][2]["value"] == "B"
    assert [t["name"] for t in plant_file["tags"]] == ["Line 1"]
    assert [t["name"] for t in oee["tags"][0]["tags"]] == ["OEE Rollup", "Utilities"]
    assert json.loads((project / "tags/default/imported.json").read_text()) == {
        "tags": [{"name": "Site", "tagType": "AtomicTag", "dataType": "String"}]}


def test_a_folder_tag_export_replaces_only_that_folder(project, tmp_path):
    path = tmp_path / "Plant.json"
    path.write_text(json.dumps({"name": "Plant", "tagType": "Folder", "tags": [
        {"name": "Line 1", "tagType": "Folder", "tags": [
            {"name": "Shift", "tagType": "AtomicTag", "valueSource": "memory",
             "dataType": "String", "value": "C"}]}]}), encoding="utf-8")
    before = tree(project)
    result = import_paths([str(path)], str(project))
    assert result.written == ["tags/default/plant.json"]
    assert result.removed == ["tags/default/oee.json"]
    assert tree(project)["tags/default/types.json"] == before["tags/default/types.json"]


def test_a_whole_provider_export_removes_files_it_no_longer_fills(project, tmp_path):
    root = json.loads(build_export(str(project), "8.3", epoch=EPOCH).tags["default"])
    root["tags"][0]["tags"] = [t for t in root["tags"][0]["tags"] if t["name"] != "OEE Rollup"]
    path = tmp_path / "x-tags-default.json"
    path.write_text(json.dumps(root), encoding="utf-8")
    result = import_paths([str(path)], str(project))
    assert (result.written, result.removed) == ([], ["tags/default/oee.json"])


def test_a_bad_view_in_an_export_writes_nothing(project, tmp_path, exported):
    broken = tmp_path / "broken"
    with zipfile.ZipFile(exported["archive"]) as archive:
        archive.extractall(broken)
    view = broken / "com.inductiveautomation.perspective/views/Dispatch/Queue/view.json"
    doc = json.loads(view.read_text())
    doc["root"]["children"][2]["props"] = "big"
    view.write_text(json.dumps(doc))
    (broken / "ignition/script-python/mes/oee/code.py").write_text("changed = True\n")
    before = tree(project)
    with pytest.raises(DeployError) as caught:
        import_paths([str(broken)], str(project))
    assert [str(p) for p in caught.value.problems] == [
        "com.inductiveautomation.perspective/views/Dispatch/Queue/view.json: "
        "$.root.children[2].props: expected object, got string"]
    assert tree(project) == before


@pytest.mark.parametrize("doc, expected", [
    ({"scope": "A", "version": 1, "files": "code.py", "attributes": {}},
     "$.files: expected array, got string"),
    ({"scope": "A", "version": 1, "files": ["code.py"]}, "$.attributes: missing"),
    ({"scope": "Q", "version": 1, "files": ["code.py"], "attributes": {}},
     "$.scope: unknown scope 'Q'"),
    ({"scope": "A", "version": 1, "files": ["code.py"],
      "attributes": {"lastModification": "admin"}},
     "$.attributes.lastModification: expected {actor, timestamp} strings"),
])
def test_a_malformed_resource_json_is_refused_with_its_json_path(tmp_path, doc, expected):
    src = tmp_path / "export"
    shutil.copytree(GATEWAY, src)
    (src / "ignition/script-python/plant/util/resource.json").write_text(json.dumps(doc))
    with pytest.raises(DeployError) as caught:
        import_paths([str(src)], str(tmp_path / "project"))
    assert [str(p) for p in caught.value.problems] == [
        "ignition/script-python/plant/util/resource.json: " + expected]
    assert not (tmp_path / "project").exists()


def test_an_8_1_export_warns_that_its_gateway_events_need_re_creating(tmp_path):
    src = tmp_path / "export81"
    shutil.copytree(GATEWAY, src)
    for kind in ("startup", "timer", "tag-change"):
        shutil.rmtree(src / "ignition" / kind)
    os.makedirs(src / "ignition/event-scripts")
    (src / "ignition/event-scripts/data.bin").write_bytes(b"\x1f\x8b\x08\x00binary")
    result = import_paths([str(src)], str(tmp_path / "project"))
    assert "ignition/event-scripts/data.bin: 8.1 gateway events are a binary Designer file; " \
           "re-create them under project/events (docs/deploy.md)" in result.warnings
    assert not (tmp_path / "project" / "events").exists()


def test_a_tag_export_with_a_bad_node_names_file_and_path(tmp_path):
    path = tmp_path / "bad-tags-default.json"
    path.write_text(json.dumps({"name": "", "tagType": "Provider", "tags": [
        {"name": "A", "tagType": "Folder", "tags": [{"tagType": "AtomicTag"}]}]}))
    with pytest.raises(DeployError) as caught:
        import_paths([str(path)], str(tmp_path / "project"))
    assert [str(p) for p in caught.value.problems] == [
        "bad-tags-default.json: $.tags[0].tags[0].name: expected a non-empty tag name"]


def test_import_command_reports_what_it_wrote(tmp_path, capsys, exported):
    from importlib import import_module

    command = import_module("harness.commands.import")
    parser = argparse.ArgumentParser()
    command.add_parser(parser.add_subparsers())
    args = parser.parse_args(["import", exported["archive"], "--project", str(tmp_path / "p"),
                              "--json"])
    assert args.func(args) == 0
    doc = json.loads(capsys.readouterr().out)
    assert (doc["ok"], len(doc["written"]), doc["removed"]) == (True, 14, [])


@pytest.mark.parametrize("source", ["project", "tests/cases/harness_project", FIXTURE])
def test_every_project_in_the_repository_survives_export_then_import_byte_for_byte(tmp_path,
                                                                                   source):
    copy = tmp_path / "copy"
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns("__pycache__"))
    paths = write_export(build_export(source, "8.3", epoch=EPOCH), str(tmp_path / "genba.zip"))
    result = import_paths(sorted(paths.values()), str(copy))
    assert (result.written, result.removed) == ([], [])
    assert tree(copy) == {k: v for k, v in tree(source).items()}


def test_an_xml_tag_export_is_refused_with_a_hint(tmp_path):
    path = tmp_path / "old-tags.xml"
    path.write_text('<Tags MinVersion="7.5"><Tag name="A"/></Tags>')
    with pytest.raises(DeployError) as caught:
        import_paths([str(path)], str(tmp_path / "project"))
    assert [str(p) for p in caught.value.problems] == [
        "old-tags.xml: $: an XML tag export; export the tags as JSON from the Tag Browser"]


def test_folder_properties_of_a_shared_folder_stay_as_each_file_wrote_them(project, tmp_path):
    plant = json.loads((project / "tags/default/plant.json").read_text())
    plant["tooltip"] = "the plant"
    (project / "tags/default/plant.json").write_text(json.dumps(plant, indent=2))
    before = tree(project)
    paths = write_export(build_export(str(project), "8.3", epoch=EPOCH), str(tmp_path / "g.zip"))
    result = import_paths([paths["tags:default"]], str(project))
    assert (result.written, result.removed) == ([], [])
    assert tree(project) == before


def test_an_imported_gateway_export_runs_in_the_harness(tmp_path, make_gateway):
    import_paths([GATEWAY], str(tmp_path / "project"))
    gateway = make_gateway(project=str(tmp_path / "project"))
    gateway.clock.advance(30)
    assert gateway.call("plant.util.line_name", 3) == "Line 3"
