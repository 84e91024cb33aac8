"""Delivery to the ERP stand-in: idempotency keys, retries with backoff, causal order, outages."""
import json
import xml.etree.ElementTree as ET

import pytest

from harness.erp_standin import ErpStandin
from tests.support.erp_fixtures import case, erp_gw, loaded_gw, rows, schema_errors, set_settings  # noqa: F401

NS = {"b": "http://www.mesa.org/xml/B2MML-V0600"}


@pytest.fixture
def standin():
    with ErpStandin() as server:
        yield server


@pytest.fixture
def plant(loaded_gw, standin):
    """Two released orders and the outbox pointed at the stand-in (fast timeouts, short backoff)."""
    gw = loaded_gw
    assert gw.call("mes.erpinbound.receive", case("schedule_v0600.xml"), "test")["status"] == "accepted"
    second = case("schedule_v0600.xml").replace("WO-1001", "WO-1002").replace("SCHED-0001", "SCHED-0002")
    assert gw.call("mes.erpinbound.receive", second, "test")["status"] == "accepted"
    set_settings(gw, outbox__url__b2mml=standin.url + "/b2mml", outbox__url__rest=standin.url,
                 outbox__timeout_ms=400, outbox__backoff_ms=5000, outbox__max_backoff_ms=40000)
    return gw


def _outbox(gw):
    return rows(gw, "SELECT message_id, msg_key, status, attempts FROM erp_outbox_messages ORDER BY id")


def test_a_message_is_posted_with_its_idempotency_key_and_marked_sent(plant, standin):
    plant.call("mes.erpperformance.record_completion", "WO-1001", "10", 10)
    assert plant.call("mes.outbox.dispatch") == {"sent": 1, "retry": 0, "dead": 0, "waiting": 0}
    (message_id, key, status, attempts), = _outbox(plant)
    assert (status, attempts) == ("sent", 1)
    received, = standin.received
    assert (received["key"], received["work_order"], received["face"]) == (message_id, "WO-1001", "b2mml")
    assert ET.fromstring(received["payload"]).find("b:ApplicationArea/b:BODID", NS).text == message_id
    assert schema_errors("ProductionPerformance", received["payload"]) == []


def test_the_timer_event_sends_the_outbox(plant, standin):
    plant.call("mes.erpperformance.record_completion", "WO-1001", "10", 10)
    plant.clock.advance(5)
    assert [r[2] for r in _outbox(plant)] == ["sent"]
    assert len(standin.received) == 1


def test_a_lost_answer_causes_a_resend_that_the_erp_deduplicates(plant, standin):
    plant.call("mes.erpperformance.record_completion", "WO-1001", "10", 10)
    standin.misbehave("lost_ack", 1)
    assert plant.call("mes.outbox.dispatch")["retry"] == 1
    plant.clock.advance(10)
    assert [r[2:] for r in _outbox(plant)] == [("sent", 2)]
    assert [r["duplicate"] for r in standin.requests] == [False, True]
    assert len(standin.received) == 1


def test_a_server_error_is_retried_after_the_backoff_and_later_messages_of_the_order_wait(plant, standin):
    plant.call("mes.erpperformance.record_completion", "WO-1001", "10", 10)
    plant.call("mes.erpperformance.record_completion", "WO-1001", "20", 2)
    plant.call("mes.erpperformance.record_completion", "WO-1002", "10", 7)
    standin.misbehave("error", 1, status=503)
    assert plant.call("mes.outbox.dispatch") == {"sent": 1, "retry": 1, "dead": 0, "waiting": 1}
    assert [(r[1], r[2]) for r in _outbox(plant)] == [("WO-1001", "pending"), ("WO-1001", "pending"), ("WO-1002", "sent")]
    plant.clock.advance(4.9)  # before the 5 s backoff: nothing due, the timer finds nothing to send
    assert plant.call("mes.outbox.dispatch")["sent"] == 0
    plant.clock.advance(0.2)
    assert [r[2] for r in _outbox(plant)] == ["sent", "sent", "sent"]
    assert [m["work_order"] for m in standin.received] == ["WO-1002", "WO-1001", "WO-1001"]


def test_a_rejected_message_stops_its_order_until_it_is_retried(plant, standin):
    plant.call("mes.erpperformance.record_completion", "WO-1001", "10", 10)
    plant.call("mes.erpperformance.record_completion", "WO-1001", "20", 2)
    standin.misbehave("error", 1, status=400)
    assert plant.call("mes.outbox.dispatch") == {"sent": 0, "retry": 0, "dead": 1, "waiting": 1}
    plant.clock.advance(60)
    assert [r[2] for r in _outbox(plant)] == ["dead", "pending"]
    dead_id = _outbox(plant)[0][0]
    assert plant.call("mes.outbox.retry", dead_id) is True
    plant.clock.advance(5)
    assert [r[2] for r in _outbox(plant)] == ["sent", "sent"]
    assert plant.call("mes.outbox.status_counts") == {"pending": 0, "sent": 2, "dead": 0}


def test_a_duplicate_acknowledgement_counts_as_delivered(plant, standin):
    plant.call("mes.erpperformance.record_completion", "WO-1001", "10", 10)
    standin.misbehave("duplicate_ack", 1)
    assert plant.call("mes.outbox.dispatch")["sent"] == 1
    assert len(standin.received) == 1


def test_the_rest_face_posts_to_the_work_order_transform_with_the_netsuite_key(plant, standin):
    set_settings(plant, outbound__faces="b2mml,rest")
    plant.call("mes.erpperformance.record_completion", "WO-1001", "10", 10)
    plant.call("mes.outbox.dispatch")
    b2mml, rest = standin.received
    assert rest["path"] == "/services/rest/record/v1/workOrder/eid:WO-1001/!transform/workOrderCompletion"
    assert (rest["payload"]["externalId"], rest["payload"]["completedQuantity"]) == (rest["key"], 10)
    assert b2mml["key"] != rest["key"]


def test_an_outage_then_a_flaky_erp_loses_nothing_doubles_nothing_and_keeps_each_orders_order(plant, standin):
    """The ERP is down for 10 minutes, then flaky, while completions keep happening."""
    standin.down()
    script = [("WO-1001", "10", 20), ("WO-1002", "10", 15), ("WO-1001", "10", 30), ("WO-1001", "20", 8),
              ("WO-1002", "10", 25), ("WO-1002", "20", 6), ("WO-1001", "10", 40), ("WO-1001", "20", 12)]
    for wo, op, good in script[:5]:
        plant.call("mes.erpperformance.record_completion", wo, op, good)
        plant.clock.advance(120)
    assert set(r[2] for r in _outbox(plant)) == {"pending"}
    assert max(r[3] for r in _outbox(plant)) > 1  # it kept trying during the outage
    standin.up()
    standin.misbehave("error", 2, status=500)
    standin.misbehave("lost_ack", 2)
    standin.misbehave("timeout", 1, delay=1.0)
    standin.misbehave("duplicate_ack", 1)
    standin.misbehave("error", 1, status=503)
    for wo, op, good in script[5:]:
        plant.call("mes.erpperformance.record_completion", wo, op, good)
        plant.clock.advance(30)
    plant.clock.advance(600)
    outbox = _outbox(plant)
    assert [r[2] for r in outbox] == ["sent"] * len(script)
    # exactly once in effect: every message id arrived, none twice
    assert sorted(standin.keys()) == sorted(r[0] for r in outbox)
    assert len(standin.keys()) == len(set(standin.keys())) == len(script)
    # causal order per work order: the ERP saw each order's messages in the order they were made
    for wo in ("WO-1001", "WO-1002"):
        made = [r[0] for r in outbox if r[1] == wo]
        assert [m["key"] for m in standin.by_work_order(wo)] == made
        goods = [ET.fromstring(m["payload"]).find(".//b:ProductionData[b:ID='GoodQuantity']/b:Value/b:ValueString", NS).text
                 for m in standin.by_work_order(wo)]
        assert goods == [str(g) for w, o, g in script if w == wo]
    assert sum(1 for r in standin.requests if r.get("duplicate")) >= 2
