"""Machine states: the state table that maps PLC state codes to OEE categories, and the short-stop rule.

Categories (one per state code, configurable per state table):

============  ==============================================  ===========================
category      meaning                                         ISO 22400-2 time element
============  ==============================================  ===========================
running       producing                                       APT
unplanned     fault / breakdown                               ADET (delay)
unknown       code not in the table, or state tag not Good    ADET (delay, never lost)
starved       waiting for parts from upstream                 ADOT (unit down, available)
blocked       waiting for room downstream                     ADOT (unit down, available)
changeover    setup / product change                          AUST (setup, availability loss)
planned       planned stop (maintenance, meeting, cleaning)   PDOT
idle          not scheduled (no order, no demand)             outside PBT
============  ==============================================  ===========================

Decisions, taken once:

* **Short stops.** A stop of category unplanned, starved or blocked whose whole duration is
  *strictly less than* the machine's short-stop threshold is a *performance* loss: its time stays in
  APT (the machine is deemed producing, only slower), so it lowers P, not A. A stop that lasts
  exactly the threshold or longer is an availability loss. Changeover, planned, idle and unknown
  time is never a short stop: those are decisions or data gaps, not speed losses.
* **Unknown.** A code that is not in the table, and any time the state tag's quality is not Good,
  is ``unknown``: counted as unplanned delay (ADET), so it is visible and never silently lost.
* **Changeover** is an availability loss (AUST inside PBT), not planned downtime: a plant that wants
  it planned maps its code to ``planned``.
* **Idle** is "not scheduled": excluded from PBT. A plant where idle is a loss maps it to
  ``unplanned`` in its state table.

The default table follows the machine model's State tag: 1 Running, 2 Idle, 3 Starved, 4 Blocked,
5 Faulted, 6 PlannedStop, 7 Changeover.
"""
from __future__ import absolute_import, division, print_function

__all__ = ["BLOCKED", "CATEGORIES", "CHANGEOVER", "DEFAULT_STATE_TABLE", "IDLE", "PLANNED",
           "RUNNING", "SHORT_STOP_CATEGORIES", "STARVED", "UNKNOWN", "UNPLANNED",
           "UnknownCategory", "categorize", "is_short_stop", "parse_state_table"]

RUNNING = "running"
UNPLANNED = "unplanned"
UNKNOWN = "unknown"
STARVED = "starved"
BLOCKED = "blocked"
CHANGEOVER = "changeover"
PLANNED = "planned"
IDLE = "idle"

#: Every category a state code may map to (sorted, stable).
CATEGORIES = (BLOCKED, CHANGEOVER, IDLE, PLANNED, RUNNING, STARVED, UNKNOWN, UNPLANNED)

#: Stops of these categories shorter than the threshold are performance (speed) losses.
SHORT_STOP_CATEGORIES = (UNPLANNED, STARVED, BLOCKED)

DEFAULT_STATE_TABLE = {1: RUNNING, 2: IDLE, 3: STARVED, 4: BLOCKED, 5: UNPLANNED, 6: PLANNED,
                       7: CHANGEOVER}


class UnknownCategory(mes.errors.ConfigurationError):  # noqa: F821 - `mes` is the project library
    """A state table names a category that does not exist."""
    code = "unknown_oee_category"


def parse_state_table(rows):
    """Build a state table {code: category} from (code, category) pairs or a dict.

    Raises UnknownCategory when a category is not one of CATEGORIES, and ConfigurationError when
    a code is not an integer.
    """
    pairs = sorted(rows.items()) if isinstance(rows, dict) else list(rows)
    table = {}
    for code, category in pairs:
        try:
            key = int(code)
        except (TypeError, ValueError):
            raise mes.errors.ConfigurationError(  # noqa: F821
                "State code %r is not an integer; state tables map integer codes." % (code,))
        name = mes.compat.text(category)  # noqa: F821
        if name not in CATEGORIES:
            raise UnknownCategory("State category %r is not one of %s." % (
                category, ", ".join(CATEGORIES)), category=name)
        table[key] = str(name)
    return table


def categorize(state_table, code, quality_good=True):
    """Return (category, known) for a state code read with the given quality.

    Bad quality or a None code gives ("unknown", True): the reading is missing, not the table
    entry. A code missing from the table gives ("unknown", False) so the caller can log a warning.
    """
    if not quality_good or code is None:
        return UNKNOWN, True
    try:
        key = int(code)
    except (TypeError, ValueError):
        return UNKNOWN, False
    category = state_table.get(key)
    if category is None:
        return UNKNOWN, False
    return category, True


def is_short_stop(category, duration_ms, short_stop_ms):
    """True when a stop of this category and duration is a performance loss (strictly shorter)."""
    if category not in SHORT_STOP_CATEGORIES:
        return False
    return duration_ms < short_stop_ms
