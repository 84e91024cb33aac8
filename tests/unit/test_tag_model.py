"""Tag exports load like a gateway reads them: UDTs resolved, parameters substituted, errors located."""
import json

import pytest

from harness.core.errors import MalformedTagExport, TagConfigurationError
from harness.core.tagmodel import TagModel, load_project_tags

from tests.conftest import HARNESS_PROJECT


def _atomic(model):
    return {str(tag.path): tag for tag in model.iter_atomic()}


def test_udt_parameters_are_substituted_into_opc_item_paths():
    tags = _atomic(load_project_tags(HARNESS_PROJECT))
    assert tags["[default]Plant/Line 1/Filler/State"].config["opcItemPath"] == "ns=2;s=PLC1.State"
    assert tags["[default]Plant/Line 1/Capper/State"].config["opcItemPath"] == "ns=2;s=PLC2.State"


def test_a_nested_instance_binds_its_parameter_to_the_parent_instance_parameter():
    tags = _atomic(load_project_tags(HARNESS_PROJECT))
    assert tags["[default]Plant/Line 1/Filler/Motor/Amps"].config["opcItemPath"] == "ns=2;s=PLC1-M1.Amps"


def test_builtin_and_type_default_parameters_fill_string_properties():
    tags = _atomic(load_project_tags(HARNESS_PROJECT))
    assert tags["[default]Plant/Line 1/Filler/Count"].config["documentation"] == "Filler counts at 100/min"


def test_a_child_type_inherits_members_and_overrides_parameters_and_members():
    tags = _atomic(load_project_tags(HARNESS_PROJECT))
    capper_count = tags["[default]Plant/Line 1/Capper/Count"]
    assert capper_count.data_type == "Int4"  # FastMachine overrides Machine's Int8
    assert capper_count.config["documentation"] == "Capper counts at 400/min"
    assert "[default]Plant/Line 1/Capper/Speed" in tags
    assert "[default]Plant/Line 1/Filler/Speed" not in tags


def test_instance_overrides_apply_to_one_member_only():
    tags = _atomic(load_project_tags(HARNESS_PROJECT))
    assert tags["[default]Plant/Line 1/Filler/State"].config["value"] == 2
    assert "value" not in tags["[default]Plant/Line 1/Capper/State"].config


def test_both_parameter_shapes_of_real_exports_load():
    tags = _atomic(load_project_tags(HARNESS_PROJECT))
    assert tags["[default]Plant/Line 1/Filler/State"].parameters["Device"] == "PLC1"  # {"value": …}
    assert tags["[default]Plant/Line 1/Capper/State"].parameters["Device"] == "PLC2"  # plain string


def _model(export):
    model = TagModel()
    model.add_export("default", json.dumps(export), source="plant.json")
    return model


def test_a_malformed_node_is_reported_with_its_file_and_json_path():
    export = {"name": "", "tagType": "Provider", "tags": [
        {"name": "Line", "tagType": "Folder", "tags": [
            {"name": "Ok", "tagType": "AtomicTag", "dataType": "Int4"},
            {"name": "Bad", "tagType": "AtomicTag", "dataType": "Int9"}]}]}
    with pytest.raises(MalformedTagExport) as error:
        _model(export)
    assert str(error.value) == "plant.json: $.tags[0].tags[1].dataType: unknown data type 'Int9'"


@pytest.mark.parametrize("export, where", [
    ({"tags": [{"tagType": "AtomicTag"}]}, "$.tags[0].name"),
    ({"tags": [{"name": "X", "tagType": "Gizmo"}]}, "$.tags[0].tagType"),
    ({"tags": [{"name": "X", "tagType": "Folder", "tags": {}}]}, "$.tags[0].tags"),
    ({"tags": [{"name": "X", "tagType": "UdtInstance"}]}, "$.tags[0].typeId"),
    ({"tags": [{"name": "X", "eventScripts": [{"eventid": "valueChanged"}]}]}, "$.tags[0].eventScripts[0]"),
])
def test_each_kind_of_malformed_node_names_its_path(export, where):
    with pytest.raises(MalformedTagExport) as error:
        _model(export)
    assert error.value.json_path == where


def test_invalid_json_is_reported_at_the_root():
    model = TagModel()
    with pytest.raises(MalformedTagExport, match=r"plant.json: \$: not valid JSON"):
        model.add_export("default", "{not json", source="plant.json")


def test_an_unknown_udt_type_names_the_instance():
    model = _model({"tags": [{"name": "M1", "tagType": "UdtInstance", "typeId": "Nope"}]})
    with pytest.raises(TagConfigurationError, match=r"\[default\]M1.*unknown UDT type 'Nope'"):
        list(model.iter_atomic())


def test_an_inheritance_cycle_is_refused():
    model = _model({"tags": [
        {"name": "_types_", "tagType": "Folder", "tags": [
            {"name": "A", "tagType": "UdtType", "typeId": "B"},
            {"name": "B", "tagType": "UdtType", "typeId": "A"}]},
        {"name": "M1", "tagType": "UdtInstance", "typeId": "A"}]})
    with pytest.raises(TagConfigurationError, match="cycle"):
        list(model.iter_atomic())


def test_saving_a_loaded_export_reproduces_its_configuration():
    with open(HARNESS_PROJECT + "/tags/default/types.json") as handle:
        original = json.load(handle)
    model = TagModel()
    model.add_export("default", json.dumps(original))
    saved = json.loads(model.dumps("default"))
    assert saved["tags"] == [original]


def test_a_plain_string_parameter_may_reference_the_parent_instance_parameters():
    model = _model({"tags": [
        {"name": "_types_", "tagType": "Folder", "tags": [
            {"name": "Drive", "tagType": "UdtType", "parameters": {"Id": "x"}, "tags": [
                {"name": "Amps", "tagType": "AtomicTag", "valueSource": "opc",
                 "opcItemPath": {"bindType": "parameter", "binding": "ns=2;s={Id}.Amps"}}]},
            {"name": "Machine", "tagType": "UdtType", "parameters": {"Device": "PLC0"}, "tags": [
                {"name": "Drive", "tagType": "UdtInstance", "typeId": "Drive",
                 "parameters": {"Id": "{Device}/{InstanceName}"}}]}]},
        {"name": "Press", "tagType": "UdtInstance", "typeId": "Machine", "parameters": {"Device": "PLC7"}}]})
    amps = _atomic(model)["[default]Press/Drive/Amps"]
    assert amps.config["opcItemPath"] == "ns=2;s=PLC7/Press.Amps"
