"""harness.erp_standin and `genba erp-standin`: a local ERP that records, deduplicates and misbehaves."""
import argparse
import json

import pytest

from harness.commands import erp_standin as command
from harness.core.net import HttpConnectionError, httpClient
from harness.erp_standin import ErpStandin

REST_PATH = "/services/rest/record/v1/workOrder/eid:WO-1/!transform/workOrderCompletion"


@pytest.fixture
def standin():
    with ErpStandin() as server:
        yield server


def _post_b2mml(server, key, body="<Doc><ProductionRequestID>WO-1</ProductionRequestID></Doc>", timeout=2000):
    return httpClient(timeout=timeout).post(server.url + "/b2mml", data=body, headers={"Idempotency-Key": key,
                                                                                       "Content-Type": "application/xml"})


def test_it_listens_on_loopback_on_a_free_port(standin):
    assert standin.url.startswith("http://127.0.0.1:") and standin.port > 0


def test_a_b2mml_post_is_recorded_once_per_idempotency_key(standin):
    first = _post_b2mml(standin, "k1")
    again = _post_b2mml(standin, "k1")
    assert (first.statusCode, first.json, again.json) == (200, {"acknowledged": "k1", "duplicate": False},
                                                          {"acknowledged": "k1", "duplicate": True})
    assert [(m["key"], m["work_order"], m["seq"]) for m in standin.received] == [("k1", "WO-1", 1)]
    assert len(standin.requests) == 2


def test_a_rest_completion_is_answered_like_netsuite(standin):
    response = httpClient().post(standin.url + REST_PATH, data={"completedQuantity": 5},
                                 headers={"X-NetSuite-Idempotency-Key": "n1"})
    assert (response.statusCode, response.good, response.text) == (204, True, "")
    assert response.headers["Location"] == [standin.url + "/services/rest/record/v1/workOrderCompletion/n1"]
    assert standin.received[0]["payload"] == {"completedQuantity": 5}


def test_conflict_mode_answers_a_repeated_key_with_idempotency_error():
    with ErpStandin(dedup="conflict") as server:
        client = httpClient()
        client.post(server.url + REST_PATH, data={}, headers={"X-NetSuite-Idempotency-Key": "n1"})
        again = client.post(server.url + REST_PATH, data={}, headers={"X-NetSuite-Idempotency-Key": "n1"})
    assert (again.statusCode, again.clientError) == (400, True)
    assert again.json["o:errorDetails"][0]["o:errorCode"] == "IDEMPOTENCY_ERROR"


def test_a_post_without_key_is_refused(standin):
    response = httpClient().post(standin.url + "/b2mml", data="<x/>")
    assert (response.statusCode, response.json["o:errorDetails"][0]["o:errorCode"]) == (400, "INVALID_HEADER")


def test_error_mode_answers_the_status_without_recording(standin):
    standin.misbehave("error", 2, status=502)
    assert [_post_b2mml(standin, "k%d" % i).statusCode for i in range(3)] == [502, 502, 200]
    assert standin.keys() == ["k2"]


def test_lost_ack_mode_records_but_answers_500(standin):
    standin.misbehave("lost_ack")
    response = _post_b2mml(standin, "k1")
    assert (response.statusCode, response.serverError, standin.keys()) == (500, True, ["k1"])


def test_timeout_mode_records_but_answers_too_late(standin):
    standin.misbehave("timeout", delay=1.0)
    with pytest.raises(HttpConnectionError) as info:
        _post_b2mml(standin, "k1", timeout=200)
    assert info.value.timeout is True
    assert standin.keys() == ["k1"]


def test_slow_mode_answers_late_but_normally(standin):
    standin.misbehave("slow", delay=0.2)
    assert _post_b2mml(standin, "k1").statusCode == 200


def test_duplicate_ack_mode_answers_409_for_a_new_message(standin):
    standin.misbehave("duplicate_ack")
    assert _post_b2mml(standin, "k1").statusCode == 409
    assert standin.keys() == ["k1"]


def test_down_refuses_connections_and_up_reopens_the_same_port(standin):
    port = standin.port
    standin.down()
    with pytest.raises(HttpConnectionError) as info:
        _post_b2mml(standin, "k1")
    assert info.value.timeout is False
    standin.up()
    assert (standin.port, _post_b2mml(standin, "k1").statusCode) == (port, 200)


def test_misbehaviour_can_be_ordered_over_http(standin):
    control = httpClient().post(standin.url + "/_standin/control", data={"mode": "error", "count": 1, "status": 503})
    assert control.json == {"ok": True}
    assert _post_b2mml(standin, "k1").statusCode == 503
    bad = httpClient().post(standin.url + "/_standin/control", data={"mode": "explode"})
    assert bad.statusCode == 400
    assert json.loads(httpClient().get(standin.url + "/_standin/received").text) == []


def test_unknown_modes_are_refused(standin):
    with pytest.raises(ValueError):
        standin.misbehave("explode")


def _parse(argv):
    parser = argparse.ArgumentParser(prog="genba")
    command.add_parser(parser.add_subparsers())
    return parser.parse_args(argv)


def test_the_command_help_has_an_example():
    parser = argparse.ArgumentParser(prog="genba")
    sub = parser.add_subparsers()
    command.add_parser(sub)
    assert "Example: genba erp-standin --port 8765" in sub.choices["erp-standin"].description


def test_the_command_serves_for_a_while_and_prints_json(capsys):
    args = _parse(["erp-standin", "--for", "0.1", "--json"])
    assert args.func(args) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["url"].startswith("http://127.0.0.1:") and (document["received"], document["requests"]) == (0, 0)


def test_the_command_refuses_a_bad_port(capsys):
    args = _parse(["erp-standin", "--port", "70000"])
    assert args.func(args) == 2
    assert "--port must be 0..65535" in capsys.readouterr().err


def test_refuse_mode_closes_the_connection_without_an_answer(standin):
    standin.misbehave("refuse")
    with pytest.raises(HttpConnectionError):
        _post_b2mml(standin, "k1")
    assert standin.keys() == []
    assert _post_b2mml(standin, "k1").statusCode == 200
