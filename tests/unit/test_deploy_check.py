"""genba check: each lint rule on a small project, and the real-Jython compile path."""
import argparse
import json
import os
import shutil

import pytest

from harness.checker import _resource_rule, check_project, RESOURCE_RULES
from harness.checker_jython import jython_command, py27_problem

CASES = os.path.join(os.path.dirname(__file__), os.pardir, "cases", "deploy")
FIXTURE = os.path.join(CASES, "project")


@pytest.fixture
def project(tmp_path):
    target = tmp_path / "project"
    shutil.copytree(FIXTURE, target)
    return target


def lines(project, jython=False):
    return [str(p) for p in check_project(str(project), use_jython=jython).problems]


def edit_json(path, keys, value):
    doc = json.loads(path.read_text(encoding="utf-8"))
    node = doc
    for key in keys[:-1]:
        node = node[key]
    node[keys[-1]] = value
    path.write_text(json.dumps(doc, indent=2), encoding="utf-8")


def test_the_fixture_project_passes_every_rule():
    result = check_project(FIXTURE, use_jython=False)
    assert [str(p) for p in result.problems] == []
    assert result.counts == {"events": 4, "modules": 2, "named_queries": 1, "resources": 9,
                             "scripts_compiled": 12, "tags": 29, "views": 2}


@pytest.mark.jython
def test_real_jython_compiles_every_script_and_reports_failures_by_json_path(project):
    if jython_command() is None:
        from harness.pytest_plugin import skip_or_fail

        skip_or_fail("real Jython 2.7 is not installed (java and /usr/share/java/jython.jar)")
    edit_json(project / "tags/default/types.json", ["tags", 1, "tags", 0, "eventScripts", 0,
                                                    "script"], "\tprint 'ok'\n\tx = f'{1}'")
    (project / "scripts/mes/oee.py").write_text(
        "def f():\n    print 'py2 print is fine on Jython'\n    return {**{}}\n", encoding="utf-8")
    result = check_project(str(project), use_jython=True)
    assert result.compiled_with == "jython"
    assert [str(p) for p in result.problems if "compile" in p.message] == [
        "scripts/mes/oee.py: line 3: does not compile under Jython 2.7: no viable alternative at "
        "input '**'",
        "tags/default/types.json: $.tags[1].tags[0].eventScripts[0].script line 2: does not compile "
        "under Jython 2.7: no viable alternative at input ''{1}''"]


def test_python_3_only_syntax_in_a_view_script_is_reported_at_its_line(project):
    edit_json(project / "views/Line Overview/view.json",
              ["root", "children", 0, "events", "component", "onActionPerformed", 1, "config",
               "script"], "\tx = 1\n\ty: int = 2")
    assert lines(project) == [
        "views/Line Overview/view.json: $.root.children[0].events.component.onActionPerformed[1]"
        ".config.script line 2: does not compile under Jython 2.7: variable annotations do not "
        "exist in Python 2.7"]


def test_a_missing_tag_in_a_script_literal_is_reported(project):
    path = project / "scripts/mes/oee.py"
    path.write_text(path.read_text().replace("[default]Plant/Line 1/Filler/State",
                                             "[default]Plant/Line 1/Filler/Stat"))
    assert lines(project) == [
        "scripts/mes/oee.py: line 15: tag path '[default]Plant/Line 1/Filler/Stat' does not exist "
        "in the tag model"]


@pytest.mark.parametrize("literal", [
    "[default]Plant/Line 1/Filler/State.quality",        # a property of a tag
    "[default]Plant/Line 1/Filler",                      # a UDT instance
    "[default]Plant/Line 1/",                            # a folder prefix
    "[default]Plant/Line 1/{machine}/State",             # runtime part: only the prefix is checked
    "[default]Plant/Line 1/%s/State",
    "[.]Anything",                                       # relative to the tag
    "[System]Gateway/CurrentDateTime",
    "[dispatch] released order",                          # a log prefix, not a tag path
    "[WARN]",
])
def test_tag_literals_that_resolve_or_depend_on_runtime_values_pass(project, literal):
    path = project / "scripts/mes/oee.py"
    path.write_text(path.read_text() + "\nPATH = %r\n" % literal)
    assert lines(project) == []


def test_an_unknown_provider_is_named(project):
    path = project / "scripts/mes/oee.py"
    path.write_text(path.read_text() + "\nPATH = '[edge]Plant/Line 1'\n")
    assert lines(project) == [
        "scripts/mes/oee.py: line 22: tag path '[edge]Plant/Line 1' names provider [edge], which the "
        "project has no tags for"]


def test_view_tag_bindings_resolve_references_from_view_parameter_defaults(project):
    edit_json(project / "views/Dispatch/Queue/view.json", ["params", "EqPath"], "Plant/Line 9/X")
    assert lines(project) == [
        "views/Dispatch/Queue/view.json: $.root.children[0].propConfig['props.text'].binding.config"
        ".tagPath: tag path '[default]Plant/Line 9/X/State' does not exist in the tag model"]


def test_a_view_binding_that_depends_on_a_runtime_value_is_skipped(project):
    edit_json(project / "views/Dispatch/Queue/view.json",
              ["root", "children", 0, "propConfig", "props.text", "binding", "config",
               "references", "eq"], "{session.custom.line}")
    assert lines(project) == []


def test_a_tag_change_event_path_must_exist(project):
    edit_json(project / "events/tag-change/MachineState/config.json", ["paths", 0],
              "[default]Plant/Line 1/Filler/Stopped")
    assert lines(project) == [
        "events/tag-change/MachineState/config.json: $.paths[0]: tag path "
        "'[default]Plant/Line 1/Filler/Stopped' does not exist in the tag model"]


def test_calls_to_missing_mes_functions_and_modules_are_reported(project):
    edit_json(project / "views/Line Overview/view.json",
              ["root", "children", 0, "events", "component", "onActionPerformed", 1, "config",
               "script"], "\tmes.oee.record_sate('x', 0)\n\tmes.quality.gate_status(1, 2)")
    assert lines(project) == [
        "views/Line Overview/view.json: $.root.children[0].events.component.onActionPerformed[1]"
        ".config.script line 1: mes.oee.record_sate: module mes.oee defines no 'record_sate'",
        "views/Line Overview/view.json: $.root.children[0].events.component.onActionPerformed[1]"
        ".config.script line 2: mes.quality.gate_status: no module project/scripts/mes/quality.py"]


def test_a_gateway_event_must_define_its_handler(project):
    (project / "events/startup/onStartup.py").write_text("system.util.getLogger('x').info('up')\n")
    assert lines(project) == [
        "events/startup/onStartup.py: line 1: a startup event defines its handler: def onStartup(...)"]


def test_structure_problems_come_first_hand_from_the_exporter(project):
    edit_json(project / "views/Dispatch/Queue/view.json", ["root", "children", 2, "props"], [])
    assert lines(project) == [
        "views/Dispatch/Queue/view.json: $.root.children[2].props: expected object, got array"]


def test_resource_rules_hold_exported_resources_to_the_manifest_ignition_writes():
    rule = next(r for r in RESOURCE_RULES if r[0] == "ignition/named-query/")
    doc = {"scope": "A", "version": 1, "files": ["code.py"],
           "attributes": {"lastModification": {"actor": "a", "timestamp": "t"},
                          "lastModificationSignature": "", "type": "Query", "database": 1,
                          "parameters": [], "enabled": True}}
    assert [str(p) for p in _resource_rule(doc, "nq/resource.json", rule)] == [
        "nq/resource.json: $.scope: expected 'DG', got 'A'",
        "nq/resource.json: $.version: expected 2, got 1",
        "nq/resource.json: $.files: must list query.sql",
        "nq/resource.json: $.attributes.database: expected str"]


@pytest.mark.parametrize("source, expected", [
    ("print 'x'\n", None),
    ("try:\n    pass\nexcept Exception, e:\n    pass\n", None),
    ("x = f'{y}'\n", (1, "f-strings do not exist in Python 2.7")),
    ("def f(a, *, b):\n    pass\n", (1, "keyword-only/positional-only arguments do not exist in "
                                         "Python 2.7")),
    ("def f():\n    nonlocal x\n", (2, "nonlocal does not exist in Python 2.7")),
    ("a, *b = [1, 2]\n", (1, "starred assignment does not exist in Python 2.7")),
    ("def f(:\n", (1, "invalid syntax near ':'")),
])
def test_without_jython_a_python_2_7_grammar_decides(source, expected):
    assert py27_problem(source) == expected


def test_check_command_exits_1_with_one_line_per_problem(project, capsys):
    from importlib import import_module

    (project / "events/startup/onStartup.py").write_text("def started():\n    pass\n")
    command = import_module("harness.commands.check")
    parser = argparse.ArgumentParser()
    command.add_parser(parser.add_subparsers())
    args = parser.parse_args(["check", "--project", str(project), "--no-jython"])
    assert args.func(args) == 1
    assert capsys.readouterr().out == (
        "events/startup/onStartup.py: line 1: a startup event defines its handler: "
        "def onStartup(...)\n")
    args = parser.parse_args(["check", "--project", FIXTURE, "--no-jython", "--json"])
    assert args.func(args) == 0
    assert json.loads(capsys.readouterr().out)["ok"] is True


def test_a_view_tag_path_without_provider_is_looked_up_in_the_default_provider(project):
    edit_json(project / "views/Dispatch/Queue/view.json",
              ["root", "children", 1, "propConfig", "props.text", "binding", "config", "tagPath"],
              "Plant/Line 1/Shifts")
    assert lines(project) == [
        "views/Dispatch/Queue/view.json: $.root.children[1].propConfig['props.text'].binding.config"
        ".tagPath: tag path '[default]Plant/Line 1/Shifts' does not exist in the tag model"]


def test_the_shipped_project_passes_every_rule():
    result = check_project("project", use_jython=False)
    assert [str(p) for p in result.problems] == []


def test_view_level_event_scripts_are_compiled_too(project):
    edit_json(project / "views/Line Overview/view.json", ["events"],
              {"system": {"onStartup": {"type": "script", "scope": "G",
                                        "config": {"script": "\tprint(f'{self}')"}}}})
    assert lines(project) == [
        "views/Line Overview/view.json: $.events.system.onStartup.config.script line 1: does not "
        "compile under Jython 2.7: f-strings do not exist in Python 2.7"]


def test_named_query_placeholders_must_match_the_sidecar(project):
    (project / "db/queries/dispatch/queue_for_center.sql").write_text(
        "SELECT wo_id FROM work_order -- :not_a_param\n"
        "WHERE work_center = :centre AND note <> ':literal' AND qty > :min_qty::int\n")
    edit_json(project / "db/queries/dispatch/queue_for_center.json", ["parameters"],
              [{"identifier": "center", "sqlType": "String"},
               {"identifier": "min_qty", "sqlType": "Int4"}])
    assert lines(project) == [
        "db/queries/dispatch/queue_for_center.json: $.parameters: 'center' is never used in the "
        "query",
        "db/queries/dispatch/queue_for_center.sql: line 2: :centre is not a parameter in the "
        "sidecar"]


def test_named_queries_that_views_and_scripts_name_must_exist(project):
    edit_json(project / "views/Dispatch/Queue/view.json",
              ["root", "children", 3, "propConfig", "props.data", "binding", "config",
               "queryPath"], "dispatch/queue")
    path = project / "scripts/mes/dispatch/queue.py"
    path.write_text(path.read_text().replace('"dispatch/queue_for_center"', '"dispatch/queues"'))
    assert lines(project) == [
        "scripts/mes/dispatch/queue.py: line 7: named query 'dispatch/queues' does not exist in "
        "db/queries",
        "views/Dispatch/Queue/view.json: $.root.children[3].propConfig['props.data'].binding.config"
        ".queryPath: named query 'dispatch/queue' does not exist in db/queries"]


def test_a_broken_event_config_is_reported_once_and_the_other_rules_still_run(project):
    (project / "events/tag-change/MachineState/config.json").write_text("{paths: []}")
    path = project / "scripts/mes/oee.py"
    path.write_text(path.read_text() + "\nPATH = '[default]Nowhere'\n")
    assert lines(project) == [
        "events/tag-change/MachineState/config.json: $: invalid JSON at line 1 column 2: Expecting "
        "property name enclosed in double quotes",
        "scripts/mes/oee.py: line 22: tag path '[default]Nowhere' does not exist in the tag model"]


def test_view_parameters_used_by_bindings_and_scripts_must_be_defined(project):
    edit_json(project / "views/Dispatch/Queue/view.json",
              ["root", "children", 3, "propConfig", "props.data", "binding", "config",
               "parameters", "center"], "{view.params.centre}")
    edit_json(project / "views/Dispatch/Queue/view.json",
              ["root", "children", 2, "events", "dom", "onClick", "config", "script"],
              "\tmes.dispatch.queue.next_order(self.view.params.workCenter)")
    assert lines(project) == [
        "views/Dispatch/Queue/view.json: $.root.children[2].events.dom.onClick.config.script: view "
        "parameter 'workCenter' is not defined in $.params",
        "views/Dispatch/Queue/view.json: $.root.children[3].propConfig['props.data'].binding.config: "
        "view parameter 'centre' is not defined in $.params"]
