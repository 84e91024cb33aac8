"""Scans and gauge readings while the database is down: a scan is refused with a clear, typed
reason at the station (nothing consumed, no script error) and consumes when rescanned after the
outage; gauge readings are kept through store-and-forward and booked once each, in arrival order,
with their arrival time, when the database is back (SPC and the gates see them then)."""
from __future__ import absolute_import, division, print_function

import pytest

from harness.core.db import SwitchableConnector
from reliability_plant import GAUGE, QC_TAGS, WO, Plant

PRESS = "[default]Genba/Plant1/Assembly/Line2/Press"
LABEL = u"(01)09501101530003(10)L-100(30)4"


@pytest.fixture
def plant(tmp_path):
    built = Plant(tmp_path)
    service = built.gw.system.db._service
    built.switch = SwitchableConnector(service.connector("genba"))
    service.set_connector("genba", built.switch)
    yield built
    built.close()


def _rows(gw, sql, args=()):
    ds = gw.system.db.runPrepQuery(sql, list(args))
    width = len(ds.getColumnNames())
    return [tuple(row[c] for c in range(width)) for row in ds]


def _scan_tags(gw):
    return [gw.read(PRESS + "/" + name).value for name in ("ScanResult", "ScanError", "ScanMessage")]


def _lot_qty(gw):
    return gw.call("mes.lot.get", "L-100", "RESIN-A")["qty"]


def test_a_scan_during_a_database_outage_is_refused_at_the_station_and_consumes_only_when_rescanned(plant):
    gw = plant.gw
    before = _lot_qty(gw)
    plant.switch.available = False
    gw.clock.advance(5)
    gw.update(PRESS + "/LastScan", LABEL)
    assert gw.errors == []
    assert _scan_tags(gw) == ["rejected", "database_unavailable",
                              "Database unavailable, scan '(01)09501101530003(10)L-100(30)4' not recorded - "
                              "rescan when the database is back."]
    plant.switch.available = True
    gw.clock.advance(6)  # store-and-forward brings the refusal into the scan log
    assert _lot_qty(gw) == before
    assert _rows(gw, "SELECT outcome, error_code, station_id, barcode FROM material_scans ORDER BY id") == [
        ("rejected", "database_unavailable", None, LABEL)]
    gw.update(PRESS + "/LastScan", LABEL)  # the operator rescans
    assert _scan_tags(gw) == ["consumed", "", ""]
    assert _lot_qty(gw) == before - 4
    assert [r[0] for r in _rows(gw, "SELECT outcome FROM material_scans ORDER BY id")] == ["rejected", "consumed"]
    assert gw.errors == []


def test_gauge_readings_during_an_outage_are_booked_once_in_arrival_order_when_the_database_is_back(plant):
    gw = plant.gw
    gw.call("mes.quality.set_context", "TORQUE-1", "PUMP-100", "B", WO, 20)
    gw.update(GAUGE, 12.0)
    plant.switch.available = False
    for value in (12.1, 13.6, 12.2):
        gw.clock.advance(7)
        gw.update(GAUGE, value)
    assert gw.errors == []
    assert gw.read(QC_TAGS + "/LastVerdict").value == "queued"
    plant.switch.available = True
    gw.clock.advance(1)
    gw.update(GAUGE, 12.3)  # arrives before the queue is forwarded: booked after the kept ones
    gw.clock.advance(10)
    rows = _rows(gw, "SELECT value, passed, measured_at FROM qc_measurements ORDER BY id")
    assert [(r[0], bool(r[1])) for r in rows] == [(12.0, True), (12.1, True), (13.6, False), (12.2, True),
                                                  (12.3, True)]
    assert [str(r[2])[11:19] for r in rows] == ["06:00:00", "06:00:07", "06:00:14", "06:00:21", "06:00:22"]
    assert _rows(gw, "SELECT COUNT(*) FROM qc_pending_readings") == [(0,)]
    assert len(_rows(gw, "SELECT id FROM qc_ncrs WHERE measurement_id IS NOT NULL")) == 1
    assert gw.read(QC_TAGS + "/Interlock").value is True
    assert gw.call("mes.quality.gate_status", WO, 20)["failed"] == ["Torque (op 20)"]
    assert gw.errors == []


def test_a_kept_gauge_reading_is_booked_once_even_when_forwarded_twice(plant):
    gw = plant.gw
    gw.call("mes.quality.set_context", "TORQUE-1", "PUMP-100", "B", WO, 20)
    plant.switch.available = False
    gw.update(GAUGE, 12.4)
    plant.switch.available = True
    gw.system.db._service.store_forward.drain()
    pending = _rows(gw, "SELECT id, received_at FROM qc_pending_readings")
    assert len(pending) == 1
    gw.call("mes.quality.on_gauge_change", GAUGE, 12.4, True, pending[0][1], pending[0][0])
    assert gw.call("mes.quality.on_gauge_change", GAUGE, 12.4, True, pending[0][1], pending[0][0]) is None
    assert gw.call("mes.quality.forward_pending") == 0
    assert _rows(gw, "SELECT value FROM qc_measurements") == [(12.4,)]


def test_a_scan_the_device_link_delivers_again_after_a_loss_is_not_consumed_twice(plant):
    gw = plant.gw
    before = _lot_qty(gw)
    gw.update(PRESS + "/LastScan", LABEL)
    gw.clock.advance(5)
    gw.update(PRESS + "/LastScan", LABEL, "Bad_NotConnected")
    gw.clock.advance(5)
    gw.update(PRESS + "/LastScan", LABEL)  # the link is back: the same read, now Good again
    assert _lot_qty(gw) == before - 4
    gw.clock.advance(5)
    gw.update(PRESS + "/LastScan", LABEL)  # a real rescan
    assert _lot_qty(gw) == before - 8


def test_a_gauge_reading_the_device_link_delivers_again_after_a_loss_is_not_booked_twice(plant):
    gw = plant.gw
    gw.call("mes.quality.set_context", "TORQUE-1", "PUMP-100", "B", WO, 20)
    gw.update(GAUGE, 12.1)
    gw.clock.advance(5)
    gw.update(GAUGE, 12.1, "Bad_NotConnected")  # refused as a bad-quality reading
    gw.clock.advance(5)
    gw.update(GAUGE, 12.1)  # the link is back with the same reading
    gw.clock.advance(5)
    gw.update(GAUGE, 12.1)  # the next part, measured equal
    assert _rows(gw, "SELECT value FROM qc_measurements ORDER BY id") == [(12.1,), (12.1,)]
    assert _rows(gw, "SELECT reason_code FROM qc_refused_readings") == [("bad_quality_reading",)]


def test_a_kept_reading_store_and_forward_never_delivers_stops_holding_back_new_readings(plant):
    gw = plant.gw
    gw.call("mes.quality.set_context", "TORQUE-1", "PUMP-100", "B", WO, 20)
    plant.switch.available = False
    gw.update(GAUGE, 12.4)
    gw.system.db._service.store_forward._pending = []  # as if quarantined: it never arrives
    plant.switch.available = True
    gw.clock.advance(30)  # three or more timer runs find nothing waiting
    gw.update(GAUGE, 13.6)  # judged at once: a failure pulses Reject (a late verdict does not)
    assert [gw.read(QC_TAGS + "/" + n).value for n in ("LastVerdict", "Reject")] == ["fail", True]
    assert _rows(gw, "SELECT value FROM qc_measurements") == [(13.6,)]
