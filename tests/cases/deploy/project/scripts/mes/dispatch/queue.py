"""Work-order queue per work center (deploy fixture)."""
from __future__ import absolute_import, division, print_function


def next_order(center):
    """The first released order of a work center."""
    rows = system.db.runNamedQuery("dispatch/queue_for_center", {"center": center})
    return rows[0][0] if len(rows) else None


def release(payload):
    """Message handler body."""
    mes.oee.record_state("[default]Plant/Line 1/Filler", 1)
    return next_order(payload["center"])
