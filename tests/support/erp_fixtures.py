"""Fixtures of the ERP tests: a gateway with the ERP schema, the sample documents, XSD validation."""
from __future__ import annotations

import functools
import os

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CASES = os.path.join(ROOT, "tests", "cases", "erp")
SCHEMAS = os.path.join(ROOT, "tests", "cases", "b2mml")
SCHEMA_FILES = {
    "ProductionSchedule": "V0600/B2MML-V0600-ProductionSchedule.xsd",
    "ProductionPerformance": "V0600/B2MML-V0600-ProductionPerformance.xsd",
    "MaterialV0600": "V0600/B2MML-V0600-Material.xsd",
    "OperationsSchedule": "V0701/B2MML-OperationsSchedule.xsd",
    "OperationsPerformance": "V0701/B2MML-OperationsPerformance.xsd",
}


def case(name, mode="r"):
    with open(os.path.join(CASES, name), mode) as fh:
        return fh.read()


@functools.lru_cache(maxsize=None)
def schema(noun):
    import xmlschema
    return xmlschema.XMLSchema(os.path.join(SCHEMAS, SCHEMA_FILES[noun]))


def schema_errors(noun, text):
    """The first few XSD validation errors of `text` against the schema of `noun` (empty = valid)."""
    return [str(e.reason) + " at " + str(e.path) for e in schema(noun).iter_errors(text)][:3]


def make_gateway(tmp_path, start="2026-01-05T06:00:00"):
    from harness import Gateway
    url = "sqlite:///" + str(tmp_path / "genba.db")
    gw = Gateway(project=os.path.join(ROOT, "project"), clock="virtual", start=start,
                 databases={"genba": url}, default_database="genba")
    return gw


def set_settings(gw, **values):
    """erp_settings rows; `inbound__max_bytes=500` sets 'inbound.max_bytes'."""
    for name, value in values.items():
        key = name.replace("__", ".")
        gw.system.db.runPrepUpdate("DELETE FROM erp_settings WHERE name = ?", [key])
        gw.system.db.runPrepUpdate("INSERT INTO erp_settings (name, value) VALUES (?, ?)", [key, str(value)])


def rows(gw, sql, args=()):
    return [tuple(r[i] for i in range(len(r))) for r in gw.system.db.runPrepQuery(sql, list(args))]


@functools.lru_cache(maxsize=None)
def library():
    """The project library `mes` of a gateway without a database (for the pure functions)."""
    from harness import Gateway
    return Gateway(project=os.path.join(ROOT, "project"), clock="virtual").eval("mes")


@pytest.fixture
def erp_gw(tmp_path):
    """A gateway that keeps ERP orders in the ERP tables (`inbound.release` = record, the opt-out)."""
    gw = make_gateway(tmp_path)
    set_settings(gw, inbound__release="record")
    yield gw
    gw.shutdown()
    assert [e.trace for e in gw.errors] == []


@pytest.fixture
def loaded_gw(erp_gw):
    """A gateway that already knows the sample items (material_v0600.xml)."""
    assert erp_gw.call("mes.erpinbound.receive", case("material_v0600.xml"), "test")["status"] == "accepted"
    return erp_gw
