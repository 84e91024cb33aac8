"""Documents from the ERP: B2MML (malformed, wrong namespace, DTDs and entities, mutated fields,
oversized) and REST work orders (any JSON). Each is accepted, a duplicate, or rejected with a
code, and a rejection writes only its row in erp_inbound_errors."""
from __future__ import absolute_import, division, print_function

import io
import json
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reliability_plant import ROOT
from reliability_strategies import SQLISH, anything, text

CASES_DIR = os.path.join(ROOT, "tests", "cases", "erp")
LOGS = ("erp_inbound_errors",)


def _read(name):
    with io.open(os.path.join(CASES_DIR, name), encoding="utf-8") as handle:
        return handle.read()


SCHEDULE = _read("schedule_v0600.xml")
SCHEDULE_07 = _read("schedule_v07.xml")
MATERIAL = _read("material_v0600.xml")
PREFIXES = [u"", u'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>',
            u'<!DOCTYPE x SYSTEM "http://127.0.0.1:9/x.dtd">', u'<!ENTITY e SYSTEM "file:///etc/passwd">',
            u"\ufeff", u"<?xml-stylesheet href='x'?>"]
NAMESPACES = [u"B2MML-V0600", u"B2MML-V0400", u"B2MML-V07", u"b2mml-v0600", u"", u"B2MML-V0600/x"]


@st.composite
def documents(draw):
    doc = draw(st.sampled_from([SCHEDULE, SCHEDULE_07, MATERIAL]))
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(["field", "cut", "insert", "namespace", "truncate"]))
        if kind == "field":
            tag = draw(st.sampled_from([u"ID", u"QuantityString", u"StartTime", u"EndTime", u"Priority",
                                        u"UnitOfMeasure", u"MaterialDefinitionID", u"EquipmentID",
                                        u"Duration", u"BODID", u"ValueString"]))
            start = doc.find(u"<%s>" % tag)
            end = doc.find(u"</%s>" % tag, start)
            if start >= 0 and end > start:
                value = draw(st.one_of(text, st.sampled_from(SQLISH), st.sampled_from(
                    [u"-1", u"0", u"1e400", u"NaN", u"2026-13-40T99:00:00Z", u"PT-4H", u"&amp;", u"<b>x</b>"])))
                value = value.replace(u"&", u"&amp;").replace(u"<", u"&lt;") if draw(st.booleans()) else value
                doc = doc[:start + len(tag) + 2] + value + doc[end:]
        elif kind == "cut" and doc:
            a = draw(st.integers(0, len(doc) - 1))
            doc = doc[:a] + doc[a + draw(st.integers(1, 40)):]
        elif kind == "insert":
            a = draw(st.integers(0, len(doc)))
            doc = doc[:a] + draw(st.one_of(text, st.sampled_from([u"<", u">", u"&", u"]]>", u"<!--", u"\x00"]))) + doc[a:]
        elif kind == "namespace":
            doc = doc.replace(u"B2MML-V0600", draw(st.sampled_from(NAMESPACES)))
        else:
            doc = doc[:draw(st.integers(0, len(doc)))]
    doc = draw(st.sampled_from(PREFIXES)) + doc
    return doc.encode("utf-8") if draw(st.booleans()) else doc


def _rejected(result):
    return result["status"] == "rejected"


@pytest.fixture(scope="module", autouse=True)
def material_master(plant):
    # the ERP tables only: the plant's erp user is a lead, not the engineer the floor release needs
    plant.gw.system.db.runPrepUpdate("INSERT INTO erp_settings (name, value) VALUES (?, ?)", ["inbound.release", "record"])
    assert plant.gw.call("mes.erpinbound.receive", MATERIAL, "fuzz")["status"] == "accepted"


@settings(max_examples=500)
@given(doc=documents())
def test_any_b2mml_document_is_parsed_or_refused_with_a_code(plant, doc):
    outcome = plant.call("erp documents", "mes.erpxml.parse", doc)
    assert not hasattr(outcome, "code") or outcome.code


@settings(max_examples=400)
@given(doc=documents())
def test_any_b2mml_document_is_accepted_or_rejected_writing_only_its_error_row(plant, doc):
    result = plant.attempt("erp documents", "mes.erpinbound.receive", doc, u"fuzz",
                           logs=LOGS, refused_if=_rejected)
    assert result["status"] in ("accepted", "duplicate", "rejected")
    assert result["status"] != "rejected" or result["code"]


def _work_order():
    return st.fixed_dictionaries({
        "externalId": st.one_of(st.sampled_from([u"WO-8001", u"WO-8002"]), anything),
        "status": st.one_of(st.just({"id": "B"}), anything),
        "assemblyItem": st.one_of(st.just({"externalId": "FG-100"}), anything),
        "quantity": st.one_of(st.integers(-2, 100), anything),
        "units": st.one_of(st.just(u"EA"), anything),
        "startDate": st.one_of(st.just(u"2026-01-07"), anything),
        "endDate": st.one_of(st.just(u"2026-01-08"), anything),
        "operation": st.one_of(st.just({"items": [{"operationSequence": 10, "manufacturingWorkCenter":
                                                   {"refName": "Line1/Filler"}, "runTime": 90}]}), anything),
        "item": st.one_of(st.just({"items": [{"item": {"externalId": "RM-PREFORM"}, "quantity": 300,
                                              "units": "EA", "operationSequenceNumber": 10}]}), anything),
    })


@settings(max_examples=400)
@given(body=st.one_of(_work_order().map(lambda d: json.dumps(d, default=repr)), text,
                      st.binary(max_size=40), anything.map(lambda d: json.dumps(d, default=repr))),
       content_type=st.sampled_from([u"application/json", u"application/xml", u"text/plain; charset=utf-8"]))
def test_any_rest_body_answers_200_413_or_422(plant, body, content_type):
    status, result = plant.attempt("erp documents", "mes.erpinbound.handle_http", body,
                                   {"Content-Type": content_type, "Idempotency-Key": u"k"},
                                   logs=LOGS, refused_if=lambda answer: answer[0] != 200)
    assert (status, result["status"] != "rejected") in ((200, True), (413, False), (422, False))
