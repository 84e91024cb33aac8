"""`genba replay` on the command line: one JSON summary with --json, a table otherwise, exit 2 for
a scenario that cannot be played."""
import json

from harness.cli import main


def test_replay_json_prints_one_summary_with_machines_orders_and_outbox(capsys):
    assert main(["replay", "tests/scenarios/replay_short.json", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert len(summary["machines"]) == 20 and sorted(summary["lines"]) == ["Line1", "Line2"]
    assert sorted(summary["machines"]["Line1/Capper"]) == ["A", "OEE", "P", "Q", "downtime_events", "downtime_s",
                                                           "good", "total"]
    assert summary["machines"]["Line1/Capper"]["downtime_events"]["electrical"] == 1
    assert [m[1:] for m in summary["outbox"]] == [["b2mml.ProductionPerformance", "WO-1001", "pending"]]
    assert [e["refused"] for e in summary["events"] if "refused" in e] == ["AttributeError"]


def test_replay_without_json_prints_the_machine_and_work_order_tables(capsys):
    assert main(["replay", "tests/scenarios/replay_short.json", "--hours", "0.02"]) == 0
    out = capsys.readouterr().out
    assert "Line1/Capper" in out and "Work orders" in out and "Outbox:" in out


def test_a_scenario_file_that_does_not_exist_exits_2(capsys):
    assert main(["replay", "no/such/replay.json", "--json"]) == 2
    assert "genba replay:" in capsys.readouterr().err
