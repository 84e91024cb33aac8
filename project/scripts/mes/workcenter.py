"""Work centers and their stations; a station may name the machine (PLC) it drives.

A station's `machine_path` is the tag path of a machine UDT instance (e.g. "[default]Plant/Line1/
Filler"); its `Permissive` member is the interlock the dispatch writes when an operation starts and
clears when it completes, pauses or is held. Stations without a machine have no interlock.
"""
from __future__ import absolute_import, division, print_function

__all__ = ["UnknownStation", "UnknownWorkCenter", "define", "define_station", "get",
           "station", "stations"]


class UnknownWorkCenter(mes.errors.NotFound):  # noqa: F821
    """No work center with that id."""
    code = "unknown_work_center"


class UnknownStation(mes.errors.NotFound):  # noqa: F821
    """No station with that id."""
    code = "unknown_station"


def _id(kind, value):
    if not isinstance(value, mes.compat.string_types) or not value.strip():  # noqa: F821
        raise mes.errors.InvalidInput("A %s id must be non-blank text, got %r." % (kind, value))  # noqa: F821
    return value


def define(actor, work_center_id, description=None, tx=None):
    """Create or update a work center (engineer role)."""
    _id("work center", work_center_id)

    def work(tx):
        tm = mes.transaction  # noqa: F821
        mes.security.require_role(actor, "engineer", tx)  # noqa: F821
        if tm.update("UPDATE work_centers SET description = ? WHERE work_center_id = ?",
                     [description, work_center_id], tx) == 0:
            tm.update("INSERT INTO work_centers (description, work_center_id) VALUES (?, ?)",
                      [description, work_center_id], tx)
        mes.audit.record(actor, "workcenter.define", "workcenter/" + work_center_id,  # noqa: F821
                         {"description": description}, None, tx)
        return work_center_id
    return mes.transaction.run(work, tx)  # noqa: F821


def define_station(actor, station_id, work_center_id, description=None, machine_path=None,
                   tx=None):
    """Create or update a station of a work center (engineer role)."""
    _id("station", station_id)

    def work(tx):
        tm = mes.transaction  # noqa: F821
        mes.security.require_role(actor, "engineer", tx)  # noqa: F821
        get(work_center_id, tx)
        args = [work_center_id, description, machine_path, station_id]
        if tm.update("UPDATE stations SET work_center_id = ?, description = ?, machine_path = ? "
                     "WHERE station_id = ?", args, tx) == 0:
            tm.update("INSERT INTO stations (work_center_id, description, machine_path, "
                      "station_id) VALUES (?, ?, ?, ?)", args, tx)
        mes.audit.record(actor, "workcenter.define_station", "station/" + station_id,  # noqa: F821
                         {"work_center_id": work_center_id, "machine_path": machine_path},
                         None, tx)
        return station_id
    return mes.transaction.run(work, tx)  # noqa: F821


def get(work_center_id, tx=None):
    """The work center as a dict; raises UnknownWorkCenter."""
    def work(tx):
        found = mes.transaction.one(  # noqa: F821
            "SELECT work_center_id, description FROM work_centers WHERE work_center_id = ?",
            [work_center_id], tx)
        if found is None:
            raise UnknownWorkCenter("Unknown work center %r." % (work_center_id,))
        return found
    return mes.transaction.run(work, tx)  # noqa: F821


def station(station_id, tx=None):
    """The station as a dict (station_id, work_center_id, description, machine_path)."""
    def work(tx):
        found = mes.transaction.one(  # noqa: F821
            "SELECT station_id, work_center_id, description, machine_path FROM stations "
            "WHERE station_id = ?", [station_id], tx)
        if found is None:
            raise UnknownStation("Unknown station %r." % (station_id,))
        return found
    return mes.transaction.run(work, tx)  # noqa: F821


def stations(work_center_id=None, tx=None):
    """All stations (of one work center when given), sorted by id."""
    if work_center_id is None:
        sql, args = ("SELECT station_id, work_center_id, description, machine_path FROM stations "
                     "ORDER BY station_id"), []
    else:
        sql, args = ("SELECT station_id, work_center_id, description, machine_path FROM stations "
                     "WHERE work_center_id = ? ORDER BY station_id"), [work_center_id]
    return mes.transaction.run(lambda tx: mes.transaction.rows(sql, args, tx), tx)  # noqa: F821
