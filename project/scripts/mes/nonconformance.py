"""Holds and nonconformance reports (NCRs): what stops suspect product and how it is released.

A failed inspection or an SPC signal opens an NCR and places a hold on its subject: a serial, a
lot, or the whole work order (`SUBJECT_KINDS`). Holds are released only by dispositioning the NCR
(`DISPOSITIONS`: use-as-is, rework, scrap, return), which needs an electronic signature by a
user holding the quality role; the signature, the disposition and every release are in the audit
trail. A disposition is written completely or not at all: a wrong password or a missing role
leaves the NCR open and its holds active.
"""
from __future__ import absolute_import, division, print_function

__all__ = ["DISPOSITIONS", "SUBJECT_KINDS", "active_holds", "disposition", "get", "is_on_hold",
           "open_ncrs", "open_with_hold"]

DISPOSITIONS = ("use-as-is", "rework", "scrap", "return")
SUBJECT_KINDS = ("serial", "lot", "wo")

_HOLD_SELECT = ("SELECT id AS hold_id, subject_kind, subject, wo_id, op_seq, station_id, ncr_id, "
                "reason, status, placed_by, placed_at, released_by, released_at, "
                "release_signature_id FROM qc_holds ")
_NCR_SELECT = ("SELECT id AS ncr_id, wo_id, op_seq, station_id, char_id, measurement_id, "
               "subject_kind, subject, description, status, opened_by, opened_at, disposition, "
               "disposition_note, signature_id, dispositioned_by, dispositioned_at FROM qc_ncrs ")


def _tm():
    return mes.transaction  # noqa: F821


def _ints(row, keys, times=()):
    for key in keys:
        if row.get(key) is not None:
            row[key] = int(row[key])
    for key in times:
        row[key] = _tm().iso(row[key])
    return row


def open_with_hold(actor, wo_id, op_seq, subject_kind, subject, description, station_id=None,
                   char_id=None, measurement_id=None, tx=None):
    """Open an NCR and place a hold on its subject; returns {"ncr_id", "hold_id"}."""
    if subject_kind not in SUBJECT_KINDS:
        raise mes.errors.InvalidInput("Hold subject kind must be one of %s, got %r."  # noqa: F821
                                      % (", ".join(SUBJECT_KINDS), subject_kind))
    if not subject:
        raise mes.errors.InvalidInput("A hold needs a subject, got %r." % (subject,))  # noqa: F821

    def work(tx):
        tm = _tm()
        now = tm.now()
        ncr_id = tm.insert("INSERT INTO qc_ncrs (wo_id, op_seq, station_id, char_id, measurement_id, "
                           "subject_kind, subject, description, status, opened_by, opened_at) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           [wo_id, op_seq, station_id, char_id, measurement_id, subject_kind,
                            subject, description, "open", actor, now], tx)
        hold_id = tm.insert("INSERT INTO qc_holds (subject_kind, subject, wo_id, op_seq, station_id, "
                            "ncr_id, reason, status, placed_by, placed_at) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            [subject_kind, subject, wo_id, op_seq, station_id, ncr_id, description,
                             "active", actor, now], tx)
        mes.audit.record(actor, "quality.ncr.open", "ncr/%d" % ncr_id,  # noqa: F821
                         {"wo_id": wo_id, "op_seq": op_seq, "subject_kind": subject_kind,
                          "subject": subject, "measurement_id": measurement_id,
                          "hold_id": hold_id}, description, tx)
        mes.audit.record(actor, "quality.hold.place", "%s/%s" % (subject_kind, subject),  # noqa: F821
                         {"hold_id": hold_id, "ncr_id": ncr_id, "wo_id": wo_id}, description, tx)
        return {"ncr_id": ncr_id, "hold_id": hold_id}
    return _tm().run(work, tx)


def get(ncr_id, tx=None):
    """One NCR as a dict, with the ids of its holds; NotFound if unknown."""
    if isinstance(ncr_id, mes.compat.string_types) and ncr_id.strip().isdigit():  # noqa: F821
        ncr_id = int(ncr_id)
    if isinstance(ncr_id, bool) or not isinstance(ncr_id, mes.compat.integer_types):  # noqa: F821
        raise mes.errors.NotFound("Unknown NCR id %r." % (ncr_id,))  # noqa: F821

    def work(tx):
        row = _tm().one(_NCR_SELECT + "WHERE id = ?", [ncr_id], tx)
        if row is None:
            raise mes.errors.NotFound("Unknown NCR id %r." % (ncr_id,))  # noqa: F821
        row = _ints(row, ("ncr_id", "op_seq", "char_id", "measurement_id", "signature_id"),
                    ("opened_at", "dispositioned_at"))
        row["hold_ids"] = [int(r["id"]) for r in _tm().rows(
            "SELECT id FROM qc_holds WHERE ncr_id = ? ORDER BY id", [ncr_id], tx)]
        return row
    return work(tx)


def open_ncrs(wo_id, tx=None):
    """Ids of the work order's NCRs that still await a disposition, oldest first."""
    def work(tx):
        return [int(r["id"]) for r in _tm().rows(
            "SELECT id FROM qc_ncrs WHERE wo_id = ? AND status = ? ORDER BY id",
            [wo_id, "open"], tx)]
    return work(tx)


def active_holds(wo_id=None, station_id=None, tx=None):
    """Active holds of a work order, or of a station (one of the two), oldest first."""
    if (wo_id is None) == (station_id is None):
        raise mes.errors.InvalidInput("Give a work order or a station, got %r and %r."  # noqa: F821
                                      % (wo_id, station_id))

    def work(tx):
        if wo_id is not None:
            found = _tm().rows(_HOLD_SELECT + "WHERE wo_id = ? AND status = ? ORDER BY id",
                               [wo_id, "active"], tx)
        else:
            found = _tm().rows(_HOLD_SELECT + "WHERE station_id = ? AND status = ? ORDER BY id",
                               [station_id, "active"], tx)
        return [_ints(r, ("hold_id", "op_seq", "ncr_id"), ("placed_at", "released_at"))
                for r in found]
    return work(tx)


def is_on_hold(subject_kind, subject, tx=None):
    """Whether a serial, lot or work order has an active hold (for material and dispatch checks)."""
    def work(tx):
        return _tm().one("SELECT id FROM qc_holds WHERE subject_kind = ? AND subject = ? "
                         "AND status = ?", [subject_kind, subject, "active"], tx) is not None
    return work(tx)


def disposition(username, password, ncr_id, decision, note=None, tx=None):
    """Disposition an NCR with an electronic signature by the quality role; releases its holds.

    Returns {"ncr_id", "disposition", "signature_id", "released_holds"}. Raises InvalidInput for
    an unknown disposition, StateConflict when the NCR is not open, PermissionDenied when the
    signature fails or the signer lacks the quality role; nothing is written then.
    """
    if decision not in DISPOSITIONS:
        raise mes.errors.InvalidInput("Disposition must be one of %s, got %r."  # noqa: F821
                                      % (", ".join(DISPOSITIONS), decision))

    def work(tx):
        tm = _tm()
        ncr = get(ncr_id, tx)
        if ncr["status"] != "open":
            raise mes.errors.StateConflict(  # noqa: F821
                "NCR %r is already %s (%s); it cannot be dispositioned again."
                % (ncr_id, ncr["status"], ncr["disposition"]))
        signature_id = mes.security.sign(username, password,  # noqa: F821
                                         "dispositioned NCR %d as %s" % (ncr_id, decision), tx,
                                         subject="ncr/%d" % ncr_id, role="quality")
        now = tm.now()
        tm.update("UPDATE qc_ncrs SET status = ?, disposition = ?, disposition_note = ?, "
                  "signature_id = ?, dispositioned_by = ?, dispositioned_at = ? WHERE id = ?",
                  ["dispositioned", decision, note, signature_id, username, now, ncr_id], tx)
        mes.audit.record(username, "quality.ncr.disposition", "ncr/%d" % ncr_id,  # noqa: F821
                         {"disposition": decision, "signature_id": signature_id}, note, tx)
        released = []
        for hold_id in ncr["hold_ids"]:
            hold = tm.one(_HOLD_SELECT + "WHERE id = ?", [hold_id], tx)
            if hold["status"] != "active":
                continue
            tm.update("UPDATE qc_holds SET status = ?, released_by = ?, released_at = ?, "
                      "release_signature_id = ? WHERE id = ?",
                      ["released", username, now, signature_id, hold_id], tx)
            mes.audit.record(username, "quality.hold.release",  # noqa: F821
                             "%s/%s" % (hold["subject_kind"], hold["subject"]),
                             {"hold_id": hold_id, "ncr_id": ncr_id, "disposition": decision,
                              "signature_id": signature_id}, note, tx)
            released.append(hold_id)
        return {"ncr_id": ncr_id, "disposition": decision, "signature_id": signature_id,
                "released_holds": released}
    return _tm().run(work, tx)
