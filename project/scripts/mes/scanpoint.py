"""Station scanners: a barcode read on a machine's `LastScan` tag becomes a verified consumption.

The gateway tag-change event on every `.../LastScan` tag calls `on_scan(tag_path, value)`. The
machine folder of the tag is looked up in `stations.machine_path`; the operation running there
(`wo_operations.status = 'in_progress'`) gives the work order and operation; the one operator
signed in at the station is the actor. Then `mes.material.consume` runs as for a manual scan.
Every read is logged in `material_scans` with its outcome (consumed, rejected with the error code
and message, or ignored for an empty no-read), so the operator screen can show why a scan was
refused; a rejected scan changes no material table.

The outcome also goes to the machine's scan result tags (`ScanResult`: consumed, rejected or
ignored; `ScanError`: the error code; `ScanMessage`: what the operator reads). A scan needs
the database to verify the lot, so while the database is unavailable it is refused with
`DatabaseUnavailable` (code `database_unavailable`, "Database unavailable, scan ... not recorded -
rescan ..."): nothing is consumed, no script error; the rejection reaches `material_scans`
through store-and-forward once the database is back, and the operator rescans then. A log row
that cannot be written at once (the database went away after a consumption committed) is
store-and-forwarded too, so a consumed scan is never shown as refused.
"""
from __future__ import absolute_import, division, print_function

__all__ = ["DatabaseUnavailable", "RESULT_TAGS", "context", "on_scan", "recent"]

_SUFFIX = "/LastScan"
#: The scan result tags under the machine folder, written after every read.
RESULT_TAGS = ("ScanResult", "ScanError", "ScanMessage")


class DatabaseUnavailable(mes.errors.StateConflict):  # noqa: F821
    """The database cannot be reached, so a scan cannot be verified or recorded."""
    code = "database_unavailable"


def _machine_path(tag_path):
    path = mes.compat.text(tag_path)  # noqa: F821
    if path.endswith(_SUFFIX):
        path = path[:-len(_SUFFIX)]
    return path


def context(tag_path, database=""):
    """{station_id, wo_id, op_seq, operator} for the scanner tag; MesError when one is missing."""
    machine = _machine_path(tag_path)
    station = mes.inventory.one("SELECT station_id FROM stations WHERE machine_path = ? ORDER BY station_id",  # noqa: F821
                                [machine], None, database)
    if station is None:
        raise mes.errors.ConfigurationError(mes.inventory.fmt("No station drives machine %r; expected a station with that machine_path.",   # noqa: F821
            machine), expected="a station", got=machine)
    station_id = mes.compat.text(station["station_id"])  # noqa: F821
    ops = mes.inventory.query("SELECT wo_id, op_seq FROM wo_operations WHERE station_id = ? AND status = ? "  # noqa: F821
                              "ORDER BY wo_id, op_seq", [station_id, "in_progress"], None, database)
    if len(ops) != 1:
        raise mes.errors.StateConflict(mes.inventory.fmt("Station %r runs %d operations; expected exactly one in progress to consume against.",   # noqa: F821
            station_id, len(ops)), expected=1, got=len(ops))
    users = mes.inventory.query("SELECT username FROM station_sessions WHERE station_id = ? ORDER BY username",  # noqa: F821
                                [station_id], None, database)
    if len(users) != 1:
        raise mes.errors.PermissionDenied(mes.inventory.fmt("Station %r has %d operators signed in; expected exactly one.",   # noqa: F821
            station_id, len(users)), expected=1, got=len(users))
    return {"station_id": station_id, "wo_id": mes.compat.text(ops[0]["wo_id"]), "op_seq": int(ops[0]["op_seq"]),  # noqa: F821
            "operator": mes.compat.text(users[0]["username"])}  # noqa: F821


_LOG_SQL = ("INSERT INTO material_scans (tag_path, station_id, wo_id, op_seq, operator, barcode, outcome, error_code, "
            "message, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")


def _log(tag_path, ctx, barcode, outcome, error=None, database=""):
    args = [mes.compat.text(tag_path), ctx.get("station_id"), ctx.get("wo_id"), ctx.get("op_seq"), ctx.get("operator"),  # noqa: F821
            barcode, outcome, None if error is None else error.code, None if error is None else error.message,
            mes.inventory.now()]  # noqa: F821
    try:
        mes.inventory.update(_LOG_SQL, args, None, database)  # noqa: F821
    except mes.outage.ANY_ERROR as failure:  # noqa: F821
        if not mes.outage.is_database_error(failure):  # noqa: F821
            raise
        system.db.runSFPrepUpdate(_LOG_SQL, args, [database])  # noqa: F821


def _show(tag_path, outcome, error=None):
    """Write the machine's scan result tags (a missing tag is no error: writeBlocking reports it)."""
    machine = _machine_path(tag_path)
    values = {"ScanResult": outcome, "ScanError": "" if error is None else error.code,
              "ScanMessage": "" if error is None else error.message}
    names = sorted(values)
    system.tag.writeBlocking(["%s/%s" % (machine, n) for n in names], [values[n] for n in names])  # noqa: F821


def _unavailable(barcode):
    return DatabaseUnavailable(mes.inventory.fmt(  # noqa: F821
        "Database unavailable, scan %r not recorded - rescan when the database is back.", barcode),
        expected="a reachable database", got=barcode)


def on_scan(tag_path, value, database=""):
    """Handle one scanner read; return {"outcome", ...} (never raises a MesError: it is logged)."""
    try:
        barcode = None if value is None else mes.compat.text(value)  # noqa: F821
    except UnicodeDecodeError:  # scanner bytes that are not UTF-8: refused below as malformed
        barcode = value.decode("utf-8", "replace")
    if not barcode or not barcode.strip():
        _log(tag_path, {}, barcode, "ignored", None, database)
        _show(tag_path, "ignored")
        return {"outcome": "ignored"}
    ctx = {}
    try:
        ctx = context(tag_path, database)
        used = mes.material.consume(ctx["wo_id"], barcode, ctx["station_id"], ctx["operator"],  # noqa: F821
                                    op_seq=ctx["op_seq"], database=database)
    except mes.errors.MesError as error:  # noqa: F821
        _log(tag_path, ctx, barcode, "rejected", error, database)
        _show(tag_path, "rejected", error)
        return {"outcome": "rejected", "error": error.code, "message": error.message}
    except mes.outage.ANY_ERROR as failure:  # noqa: F821
        if not mes.outage.is_database_error(failure):  # noqa: F821
            raise
        error = _unavailable(barcode)
        _log(tag_path, ctx, barcode, "rejected", error, database)
        _show(tag_path, "rejected", error)
        system.util.getLogger("genba.scanpoint").warn(error.message)  # noqa: F821
        return {"outcome": "rejected", "error": error.code, "message": error.message}
    _log(tag_path, ctx, barcode, "consumed", None, database)
    _show(tag_path, "consumed")
    result = dict(used)
    result["outcome"] = "consumed"
    return result


def recent(station_id, limit=20, database=""):
    """The latest scans at a station, newest first (for the operator screen)."""
    found = mes.inventory.query(  # noqa: F821
        "SELECT id, tag_path, station_id, wo_id, op_seq, operator, barcode, outcome, error_code, message, at "
        "FROM material_scans WHERE station_id = ? ORDER BY id DESC LIMIT ?", [station_id, limit], None, database)
    for row in found:
        row["at"] = mes.genealogy.stamp(row["at"])  # noqa: F821
    return found
