"""The replay scenario format: times, references, refusals and errors that name the bad value."""
import json

import pytest

from harness.replay import Replay, ReplayError, load, parse_offset, run_replay


def test_event_times_are_seconds_or_hours_minutes_seconds():
    assert [parse_offset(v) for v in (90, 2.5, "01:30", "00:01:30", "8:00")] == [90.0, 2.5, 5400.0, 90.0, 28800.0]


@pytest.mark.parametrize("bad", ["soon", "1:2:3:4", None, True])
def test_an_event_time_that_is_not_a_time_is_refused_naming_it(bad):
    with pytest.raises(ReplayError, match="event time %s" % json.dumps(bad).replace("[", r"\[")):
        parse_offset(bad)


def _write(tmp_path, events, **extra):
    document = dict({"name": "t", "start": "2026-01-05T06:00:00", "hours": 0.05, "project": "project",
                     "events": events}, **extra)
    path = tmp_path / "t.json"
    path.write_text(json.dumps(document))
    return str(path)


def test_saved_results_files_and_times_are_resolved_in_arguments(tmp_path):
    (tmp_path / "doc.txt").write_text("hello")
    replay = Replay(load(_write(tmp_path, [])), workdir=str(tmp_path))
    replay.start()
    try:
        replay.saved["gate"] = {"open_ncrs": [7, 8]}
        assert replay.resolve(["$gate.open_ncrs.1", {"file": "doc.txt"}, {"ms": "00:01"}, "$start_ms"]) == [
            8, "hello", 1767592860000, 1767592800000]
        with pytest.raises(ReplayError, match=r"reference \$nothing names no saved result"):
            replay.resolve("$nothing")
    finally:
        replay.close()


def test_events_play_in_time_order_and_an_expected_refusal_records_its_code(tmp_path):
    path = _write(tmp_path, [
        {"at": "00:02", "do": "call", "fn": "mes.counter.delta", "args": [14, 1, 4], "label": "wrap", "log": True},
        {"at": "00:01", "do": "call", "fn": "mes.counter.delta", "args": [1, 3], "label": "first", "log": True},
        {"at": "00:02", "do": "call", "fn": "mes.security.require_role", "args": ["nobody", "lead"],
         "label": "no such user", "expect": "refused"}])
    summary = run_replay(path)
    assert [(e["at"], e["what"], e.get("result"), e.get("refused")) for e in summary["events"]] == [
        ("00:01", "first", 2, None), ("00:02", "wrap", 3, None), ("00:02", "no such user", None, "unknown_user")]
    assert (summary["machines"], summary["work_orders"], summary["outbox"]) == ({}, {}, [])


def test_an_unexpected_error_stops_the_replay_naming_the_event(tmp_path):
    path = _write(tmp_path, [{"at": 30, "do": "call", "fn": "mes.security.require_role", "args": ["x", "lead"],
                              "label": "check"}])
    with pytest.raises(ReplayError, match=r"event at 30 \(check\) failed: unknown_user"):
        run_replay(path)


def test_an_unknown_event_kind_is_refused(tmp_path):
    with pytest.raises(ReplayError, match='unknown event kind "explode"'):
        run_replay(_write(tmp_path, [{"at": 0, "do": "explode"}]))
