"""Run rules for control charts: Nelson rules 1-8 and the Western Electric rules 1-4.

The rules judge standardized points: z = (point - centre) / sigma of that point, as returned by
`mes.spc.standardize(chart)`. Zone C is |z| <= 1, zone B 1 < |z| <= 2, zone A 2 < |z| <= 3.

Definitions (published sources differ; these are ours, each a setting where plants differ):

* Rule 1 (N1, WE1): a point strictly beyond `limit` sigmas (default 3). A point exactly on a
  control limit is in control.
* Rule 2 (N2): `run` points in a row on the same side of the centre line (Nelson: 9; WE4 uses 8).
  A point exactly on the centre line is on neither side and breaks the run.
* Rule 3 (N3): `trend` points in a row steadily increasing or decreasing (default 6 points,
  i.e. 5 increases, as Nelson 1984 and Minitab; some plants use 7). Two equal consecutive points
  (a tie) break the trend.
* Rule 4 (N4): `alternating` points in a row alternating up and down (default 14, i.e. 13 changes
  of direction-alternating differences). A tie breaks the alternation.
* Rule 5 (N5, WE2): 2 of 3 points in a row beyond 2 sigma on the same side; "beyond" is strict.
* Rule 6 (N6, WE3): 4 of 5 points in a row beyond 1 sigma on the same side; strict.
* Rule 7 (N7): `stratification` points in a row (default 15) strictly within 1 sigma, either side
  (a point on the centre line counts as within).
* Rule 8 (N8): `mixture` points in a row (default 8) strictly beyond 1 sigma, on either side. By
  default they need not fall on both sides (Nelson's wording and Minitab's test 8);
  `mixture_both_sides=True` requires at least one point on each side.

Which points are flagged: a hit is reported at the point that completes the pattern (`index`),
with the whole pattern in `points`. A longer run keeps completing the pattern, so a run of 10
same-side points gives N2 hits at its 9th and 10th point. For the "k of m" rules the completing
point must itself be one of the k points beyond the zone, so a pattern is not reported again at
a later point that does not belong to it. Live use calls `hits_at(z, len(z) - 1, ...)` for the
newest point only.
"""
from __future__ import absolute_import, division, print_function

__all__ = ["DEFAULTS", "NELSON", "WESTERN_ELECTRIC", "evaluate", "hits_at", "settings"]

DEFAULTS = {
    "limit": 3.0,
    "run": 9,
    "we_run": 8,
    "trend": 6,
    "alternating": 14,
    "stratification": 15,
    "mixture": 8,
    "mixture_both_sides": False,
}

NELSON = ("N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8")
WESTERN_ELECTRIC = ("WE1", "WE2", "WE3", "WE4")
_KNOWN = NELSON + WESTERN_ELECTRIC


def settings(overrides=None):
    """The rule settings: DEFAULTS updated with `overrides`, checked."""
    result = dict(DEFAULTS)
    for key, value in sorted((overrides or {}).items()):
        if key not in DEFAULTS:
            raise ValueError("unknown SPC rule setting %r; known: %s."
                             % (key, ", ".join(sorted(DEFAULTS))))
        result[key] = value
    for key in ("run", "we_run", "trend", "alternating", "stratification", "mixture"):
        if isinstance(result[key], bool) or int(result[key]) != result[key] or result[key] < 2:
            raise ValueError("SPC rule setting %r must be an integer of at least 2, got %r."
                             % (key, result[key]))
        result[key] = int(result[key])
    if not float(result["limit"]) > 0:
        raise ValueError("SPC rule setting 'limit' must be positive, got %r." % result["limit"])
    return result


def _side(value):
    if value > 0:
        return 1
    if value < 0:
        return -1
    return 0


def _window(z, index, length):
    start = index - length + 1
    if start < 0:
        return None
    return list(range(start, index + 1))


def _beyond(z, index, limit):
    if abs(z[index]) > limit:
        return [index]
    return None


def _same_side(z, index, length):
    points = _window(z, index, length)
    if points is None:
        return None
    side = _side(z[index])
    if side == 0:
        return None
    for i in points:
        if _side(z[i]) != side:
            return None
    return points


def _trend(z, index, length):
    points = _window(z, index, length)
    if points is None:
        return None
    steps = [_side(z[i] - z[i - 1]) for i in points[1:]]
    if steps[0] != 0 and all(s == steps[0] for s in steps):
        return points
    return None


def _alternating(z, index, length):
    points = _window(z, index, length)
    if points is None:
        return None
    steps = [_side(z[i] - z[i - 1]) for i in points[1:]]
    for a, b in zip(steps, steps[1:]):
        if a == 0 or b == 0 or a == b:
            return None
    return points if steps[0] != 0 else None


def _k_of_m(z, index, k, m, zone):
    points = _window(z, index, m)
    if points is None:
        return None
    side = _side(z[index])
    if side == 0 or abs(z[index]) <= zone:
        return None
    beyond = [i for i in points if _side(z[i]) == side and abs(z[i]) > zone]
    if len(beyond) >= k:
        return points
    return None


def _within(z, index, length):
    points = _window(z, index, length)
    if points is None:
        return None
    for i in points:
        if not abs(z[i]) < 1.0:
            return None
    return points


def _mixture(z, index, length, both_sides):
    points = _window(z, index, length)
    if points is None:
        return None
    for i in points:
        if not abs(z[i]) > 1.0:
            return None
    if both_sides and len(set(_side(z[i]) for i in points)) < 2:
        return None
    return points


def _check(rule, z, index, s):
    if rule in ("N1", "WE1"):
        return _beyond(z, index, float(s["limit"]))
    if rule == "N2":
        return _same_side(z, index, s["run"])
    if rule == "WE4":
        return _same_side(z, index, s["we_run"])
    if rule == "N3":
        return _trend(z, index, s["trend"])
    if rule == "N4":
        return _alternating(z, index, s["alternating"])
    if rule in ("N5", "WE2"):
        return _k_of_m(z, index, 2, 3, 2.0)
    if rule in ("N6", "WE3"):
        return _k_of_m(z, index, 4, 5, 1.0)
    if rule == "N7":
        return _within(z, index, s["stratification"])
    if rule == "N8":
        return _mixture(z, index, s["mixture"], bool(s["mixture_both_sides"]))
    raise ValueError("unknown SPC rule %r; known: %s." % (rule, ", ".join(_KNOWN)))


def _rules(rules):
    if rules is None:
        return NELSON
    if isinstance(rules, (str, type(u""))):
        rules = [r.strip() for r in rules.split(",") if r.strip()]
    for rule in rules:
        if rule not in _KNOWN:
            raise ValueError("unknown SPC rule %r; known: %s." % (rule, ", ".join(_KNOWN)))
    return tuple(rules)


def hits_at(z, index, rules=None, overrides=None):
    """Rule hits completed at point `index` of the standardized series `z`.

    `rules` is a sequence (or comma-separated text) of rule ids, default all Nelson rules.
    Returns a list of {"rule", "index", "points"} in the order of `rules`.
    """
    s = settings(overrides)
    z = [float(v) for v in z]
    if not 0 <= index < len(z):
        raise ValueError("point index %r is outside the %d points." % (index, len(z)))
    hits = []
    for rule in _rules(rules):
        points = _check(rule, z, index, s)
        if points is not None:
            hits.append({"rule": rule, "index": index, "points": points})
    return hits


def evaluate(z, rules=None, overrides=None):
    """Every rule hit in the standardized series `z`, ordered by point then rule."""
    s = settings(overrides)
    z = [float(v) for v in z]
    chosen = _rules(rules)
    hits = []
    for index in range(len(z)):
        for rule in chosen:
            points = _check(rule, z, index, s)
            if points is not None:
                hits.append({"rule": rule, "index": index, "points": points})
    return hits
