"""Production counts from PLC counters: the delta between two readings, safe across wrap and reset.

PLC counters are unsigned (UInt32 by default) and do two things a naive `current - previous` gets
wrong: they wrap from 2**bits - 1 to 0, and they restart from 0 when the PLC restarts or an
operator resets them. The rule, decided once:
- current >= previous: the delta is the difference;
- current < previous by more than half the counter's range: the counter wrapped (the parts made
  are previous -> top -> current);
- any other drop: the counter was reset, and the parts made since the reset are `current`
  (nothing before the reset is counted twice; the parts between the last reading and the reset
  are unknowable and are not invented).
A reading of None (a bad-quality or missing value) yields 0 and leaves the caller's previous
reading to be kept.
"""
from __future__ import absolute_import, division, print_function

__all__ = ["classify", "delta"]

WRAP, RESET, NORMAL = "wrap", "reset", "normal"


def _check(value, bits, name):
    if isinstance(value, bool) or not isinstance(value, mes.compat.integer_types):
        raise mes.errors.InvalidInput("counter %s reading %r is not an integer" % (name, value))
    if value < 0 or value >= 2 ** bits:
        raise mes.errors.InvalidInput("counter %s reading %r is outside 0..2**%d-1" % (name, value, bits))


def classify(previous, current, bits=32):
    """How the counter moved from `previous` to `current`: "normal", "wrap" or "reset"."""
    if current >= previous:
        return NORMAL
    if previous - current > 2 ** (bits - 1):
        return WRAP
    return RESET


def delta(previous, current, bits=32):
    """Parts counted between two readings of an unsigned `bits`-wide counter (never negative)."""
    if previous is None or current is None:
        return 0
    _check(previous, bits, "previous")
    _check(current, bits, "current")
    kind = classify(previous, current, bits)
    if kind == NORMAL:
        return current - previous
    if kind == WRAP:
        return 2 ** bits - previous + current
    return current
