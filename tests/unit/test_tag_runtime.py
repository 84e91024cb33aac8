"""Reads, writes and tag events behave as on an Ignition gateway."""
import datetime

import pytest

from harness import QualityCode
from harness.core.errors import UnknownTagPath

FILLER = "[default]Plant/Line 1/Filler"


def test_reading_a_missing_path_gives_bad_not_found_not_an_exception(fixture_gateway):
    qv = fixture_gateway.system.tag.readBlocking(["[default]Plant/Nope"])[0]
    assert qv.value is None and qv.quality.getName() == "Bad_NotFound"


def test_a_write_to_a_missing_tag_fails_its_slot_and_the_others_proceed(fixture_gateway):
    results = fixture_gateway.system.tag.writeBlocking(["[default]Nope", "[default]Status/Label"], [1, "run"])
    assert [q.getName() for q in results] == ["Bad_NotFound", "Good"]
    assert fixture_gateway.read("[default]Status/Label").value == "run"


def test_a_write_to_an_unknown_provider_raises(fixture_gateway):
    with pytest.raises(UnknownTagPath, match="Elsewhere"):
        fixture_gateway.system.tag.writeBlocking(["[Elsewhere]X"], [1])


def test_an_uncoercible_write_returns_a_bad_quality_and_keeps_the_value(fixture_gateway):
    system = fixture_gateway.system
    system.tag.writeBlocking(["[default]Status/Small"], [12])
    results = system.tag.writeBlocking(["[default]Status/Small", "[default]Status/Flag"], [300, "maybe"])
    assert [q.getName() for q in results] == ["Bad_OutOfRange", "Error_TypeConversion"]
    assert fixture_gateway.read("[default]Status/Small").value == 12


def test_read_only_and_unevaluated_tags_refuse_writes(fixture_gateway):
    results = fixture_gateway.system.tag.writeBlocking(["[default]Status/Locked", "[default]Status/Computed"], [1, 2])
    assert [q.getName() for q in results] == ["Bad_ReadOnly", "Bad_ReadOnly"]
    assert fixture_gateway.read("[default]Status/Computed").quality.getName() == "Bad_Unsupported"


def test_a_write_stamps_the_gateway_clock_time(fixture_gateway):
    fixture_gateway.clock.advance(90)
    fixture_gateway.write("[default]Status/Ratio", 0.5)
    qv = fixture_gateway.read("[default]Status/Ratio")
    assert (qv.value, qv.timestamp) == (0.5, datetime.datetime(2026, 1, 5, 6, 1, 30))


def test_properties_are_read_by_name(fixture_gateway):
    read = fixture_gateway.read
    assert read(FILLER + "/State.opcItemPath").value == "ns=2;s=PLC1.State"
    assert read(FILLER + "/State.dataType").value == "Int4"
    assert read(FILLER + "/State.quality").value == QualityCode.Good
    assert read(FILLER + ".name").value == "Filler"
    assert read(FILLER + "/State.noSuchProp").quality.getName() == "Bad_NotFound"


def test_paths_are_case_insensitive(fixture_gateway):
    assert fixture_gateway.read("[default]plant/line 1/FILLER/state").value == 2


def test_a_reference_tag_reads_and_writes_its_source(fixture_gateway):
    fixture_gateway.write("[default]Plant/Line 1/FillerState", 5)
    assert fixture_gateway.read(FILLER + "/State").value == 5
    assert fixture_gateway.read("[default]Plant/Line 1/FillerState").value == 5


def test_exists_answers_for_tags_folders_and_missing_paths(fixture_gateway):
    exists = fixture_gateway.system.tag.exists
    assert exists(FILLER + "/Motor/Amps") and exists("[default]Plant") and not exists("[default]Plant/X")


def test_browse_lists_children_with_their_kind_and_filters(fixture_gateway):
    results = fixture_gateway.system.tag.browse("[default]Plant/Line 1")
    assert [(r["name"], r["tagType"]) for r in results.getResults()] == [
        ("Filler", "UdtInstance"), ("Capper", "UdtInstance"), ("FillerState", "AtomicTag")]
    opc = fixture_gateway.system.tag.browse("[default]Plant", {"recursive": True, "valueSource": "opc"})
    assert sorted(str(r["fullPath"]) for r in opc) == [
        "[default]Plant/Line 1/Capper/Motor/Amps", "[default]Plant/Line 1/Capper/State",
        "[default]Plant/Line 1/Filler/Motor/Amps", "[default]Plant/Line 1/Filler/State"]


def test_configure_follows_the_collision_policy(fixture_gateway):
    configure = fixture_gateway.system.tag.configure
    tag = {"name": "Speed", "tagType": "AtomicTag", "dataType": "Float8", "value": 1.0}
    assert [q.getName() for q in configure("[default]New/Folder", [tag])] == ["Good"]
    assert fixture_gateway.read("[default]New/Folder/Speed").value == 1.0
    with pytest.raises(ValueError, match="already exists"):
        configure("[default]New/Folder", [dict(tag, value=2.0)], "a")
    configure("[default]New/Folder", [{"name": "Speed", "engUnit": "m/s"}], "m")
    assert fixture_gateway.read("[default]New/Folder/Speed.engUnit").value == "m/s"
    assert fixture_gateway.read("[default]New/Folder/Speed.dataType").value == "Float8"
    configure("[default]New/Folder", [{"name": "Speed", "tagType": "AtomicTag", "dataType": "String"}], "o")
    assert fixture_gateway.read("[default]New/Folder/Speed.dataType").value == "String"


def test_get_configuration_returns_only_what_was_configured(fixture_gateway):
    config = fixture_gateway.system.tag.getConfiguration("[default]Status/Label")[0]
    assert config == {"name": "Label", "tagType": "AtomicTag", "valueSource": "memory",
                      "dataType": "String", "value": "idle", "path": "[default]Status/Label"}


def test_delete_removes_a_subtree(fixture_gateway):
    fixture_gateway.system.tag.deleteTags(["[default]Status"])
    assert not fixture_gateway.system.tag.exists("[default]Status/Label")
