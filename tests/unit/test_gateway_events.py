"""Tag events, gateway tag-change scripts, timers, messages and start-up, as a gateway runs them."""
import pytest

from harness.core.errors import NotEmulated, ProjectLoadError

FILLER = "[default]Plant/Line 1/Filler"


def test_every_tag_with_a_script_gets_an_initial_change_on_start(fixture_gateway):
    events = fixture_gateway.globals["count_events"]
    assert sorted(events) == [
        ["[default]Plant/Line 1/Capper/Count", None, 0, True, False, "PLC2"],
        ["[default]Plant/Line 1/Filler/Count", None, 0, True, False, "PLC1"]]


def test_value_changed_gets_previous_and_current_values_and_the_tag_parameters(fixture_gateway):
    fixture_gateway.write(FILLER + "/Count", 7)
    fixture_gateway.write(FILLER + "/Count", 9)
    assert fixture_gateway.globals["count_events"][-2:] == [
        [FILLER + "/Count", 0, 7, False, False, "PLC1"],
        [FILLER + "/Count", 7, 9, False, False, "PLC1"]]


def test_writing_the_same_value_again_fires_no_value_change(fixture_gateway):
    fixture_gateway.write(FILLER + "/Count", 7)
    before = len(fixture_gateway.globals["count_events"])
    fixture_gateway.write(FILLER + "/Count", 7)
    assert len(fixture_gateway.globals["count_events"]) == before


def test_a_full_tag_event_queue_drops_events_and_flags_missed_events(fixture_gateway):
    with fixture_gateway.burst():
        for value in range(1, 9):
            fixture_gateway.write(FILLER + "/Count", value)
    delivered = [e[2:5] for e in fixture_gateway.globals["count_events"] if e[0] == FILLER + "/Count"][1:]
    # queue of 5: values 1-5 queued, 6-8 dropped; the next event to run reports them missed
    assert delivered == [[1, False, True], [2, False, False], [3, False, False], [4, False, False],
                         [5, False, False]]


def test_per_tag_event_order_is_the_write_order(fixture_gateway):
    with fixture_gateway.burst():
        for value in (3, 1, 2):
            fixture_gateway.write(FILLER + "/Count", value)
    assert [e[2] for e in fixture_gateway.globals["count_events"][-3:]] == [3, 1, 2]


def test_gateway_tag_change_scripts_see_initial_and_later_changes_in_order(fixture_gateway):
    fixture_gateway.update(FILLER + "/State", 1)
    fixture_gateway.update(FILLER + "/State", 5, "Bad_Stale")
    fixture_gateway.update(FILLER + "/State", 5)  # quality only: changeTypes is ["value"]
    assert fixture_gateway.globals["tag_changes"] == [
        [FILLER + "/State", 2, True, 1], [FILLER + "/State", 1, False, 2], [FILLER + "/State", 5, False, 3]]


def test_timers_run_in_time_order_fixed_delay_and_fixed_rate(fixture_gateway):
    fixture_gateway.clock.advance(5)
    assert fixture_gateway.globals["timer_runs"] == [
        ("fast", "06:00:01.000"), ("fast", "06:00:02.000"), ("slow", "06:00:02.500"),
        ("fast", "06:00:03.000"), ("fast", "06:00:04.000"), ("slow", "06:00:05.000"),
        ("fast", "06:00:05.000")]


def test_startup_scripts_run_before_anything_else(fixture_gateway):
    assert str(fixture_gateway.read("[default]Status/StartedAt").value) == "2026-01-05 06:00:00"


def test_send_request_returns_the_handler_result_and_send_message_runs_it_later(fixture_gateway):
    util = fixture_gateway.system.util
    assert util.sendRequest("genba", "echo", {"text": "hi"}) == {"echo": "HI"}
    recipients = util.sendMessage("genba", "echo", {"text": "later"})
    assert len(recipients) == 1 and fixture_gateway.globals["messages"] == ["hi"]
    fixture_gateway.settle()
    assert fixture_gateway.globals["messages"] == ["hi", "later"]


def test_a_request_to_a_missing_handler_names_it(fixture_gateway):
    with pytest.raises(Exception, match="'nobody'"):
        fixture_gateway.system.util.sendRequest("genba", "nobody", {})


@pytest.mark.allow_script_errors
def test_a_failing_event_script_is_logged_and_collected_and_the_gateway_goes_on(fixture_gateway):
    fixture_gateway.system.tag.configure("[default]Broken", [{
        "name": "T", "tagType": "AtomicTag", "dataType": "Int4",
        "eventScripts": [{"eventid": "valueChanged", "script": "\tif not initialChange:\n\t\t1 / 0"}]}])
    fixture_gateway.write("[default]Broken/T", 1)
    fixture_gateway.write("[default]Status/Label", "still running")
    assert [e.origin for e in fixture_gateway.errors] == ["[default]Broken/T valueChanged"]
    assert "ZeroDivisionError" in fixture_gateway.log.messages(level="error")[0]
    assert fixture_gateway.read("[default]Status/Label").value == "still running"


def test_restart_runs_shutdown_keeps_memory_values_and_starts_again(fixture_gateway):
    fixture_gateway.write("[default]Status/Label", "kept")
    fixture_gateway.clock.advance(30)
    fixture_gateway.restart()
    assert fixture_gateway.log.messages(logger="lifecycle") == ["shutdown"]
    assert fixture_gateway.read("[default]Status/Label").value == "kept"
    assert str(fixture_gateway.read("[default]Status/StartedAt").value) == "2026-01-05 06:00:30"
    assert fixture_gateway.globals["tag_changes"] == [[FILLER + "/State", 2, True, 1]]


def test_modules_reach_each_other_by_full_path_in_any_order(fixture_gateway):
    assert fixture_gateway.call("lib.alpha.shout", "hey") == "HEYhello!"
    assert fixture_gateway.eval("lib.beta.add(2, 3)") == 5
    assert fixture_gateway.eval("lib.alpha.LOADS") == ["alpha"]  # module code ran once


def test_calling_something_not_emulated_raises_naming_it(fixture_gateway):
    with pytest.raises(NotEmulated, match=r"system\.alarm is not emulated"):
        fixture_gateway.eval("system.alarm")
    with pytest.raises(NotEmulated, match=r"system\.tag\.rename is not emulated"):
        fixture_gateway.system.tag.rename("[default]Status/Label", "L")
    assert not hasattr(fixture_gateway.system.tag, "rename")


def test_a_script_with_a_syntax_error_names_file_and_line(tmp_path, make_gateway):
    (tmp_path / "scripts" / "lib").mkdir(parents=True)
    (tmp_path / "scripts" / "lib" / "bad.py").write_text("def broken(:\n    pass\n")
    with pytest.raises(ProjectLoadError, match=r"bad\.py:1"):
        make_gateway(project=str(tmp_path))


def test_the_wall_clock_runs_timers_in_real_time(make_gateway):
    from tests.conftest import HARNESS_PROJECT
    gateway = make_gateway(project=HARNESS_PROJECT, clock="wall")
    gateway.clock.advance(1.2)
    assert [name for name, _ in gateway.globals["timer_runs"]] == ["fast"]


def test_restart_gives_opc_tags_the_values_their_device_still_holds(fixture_gateway):
    fixture_gateway.update(FILLER + "/State", 4)
    stamped = fixture_gateway.read(FILLER + "/State").timestamp
    fixture_gateway.clock.advance(10)
    fixture_gateway.restart()
    qv = fixture_gateway.read(FILLER + "/State")
    assert (qv.value, qv.quality.getName(), qv.timestamp) == (4, "Good", stamped)
    assert fixture_gateway.globals["tag_changes"] == [[FILLER + "/State", 4, True, 1]]
