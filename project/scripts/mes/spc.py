"""Shewhart control charts as plain functions: X-bar-R, X-bar-S, I-MR, p, np, c and u.

Every chart function takes the raw data and returns a plain dict: the plotted points, the centre
line, the control limits and `sigmas`, the standard error of each plotted point, so that
`mes.spcrules.evaluate(standardize(...))` can judge any chart the same way.

Decisions (taken once, here):

* Constants. Two tables, chosen per chart by `table`:
  - "exact" (default): d2 (mean of the range of n standard normals), d3 (its standard
    deviation) and c4 (mean of the sample standard deviation over sigma) are the values of their
    definitions, computed by numerical integration (d2, d3) and the gamma function (c4), stored
    below to seven decimals for n = 2..25; A2, A3, B3, B4, D3, D4, E2 follow from them by their
    formulas (A2 = 3/(d2 sqrt n), D4 = 1 + 3 d3/d2, B4 = 1 + 3 sqrt(1 - c4^2)/c4, E2 = 3/d2 ...)
    for any `k`. Rounded to the printed precision they agree with the NIST/SEMATECH e-Handbook
    table (section 6.3.2) for n = 2..10 except D4 at n = 3 (2.5746 against the printed 2.574,
    which was computed from rounded d2 and d3); for larger n the printed d3/D3/D4 differ in the
    third decimal at n = 18, 19, 22 and 24 for the same reason.
  - "printed": the 3-sigma values as printed in that table (three decimals, c4 four), for
    plants whose procedures and paper records use them; the handbook's own worked examples are
    reproduced digit for digit with it (e.g. the individuals chart UCL 55.8041 uses d2 = 1.128,
    where the exact d2 = 1.1283792 gives 55.8024).
  Exact is the default because it is the one source every printed table approximates.
* Limits are 3 sigma by default (`k`); lower limits of ranges, standard deviations and counts are
  clipped at zero (D3, B3 are zero for small n by definition).
* X-bar-R and X-bar-S need equal subgroup sizes (n = 2..25); I-MR uses moving ranges of two.
* p and u charts allow unequal sample sizes: their limits (and `sigmas`) are per point.
"""
from __future__ import absolute_import, division, print_function

import math

string_types = (type(""), type(u""))

__all__ = ["MAX_N", "MIN_N", "SpcInputError", "TABLES", "c_chart", "constants", "imr", "mean", "np_chart",
           "p_chart", "standardize", "stdev", "u_chart", "xbar_r", "xbar_s"]

MIN_N = 2
MAX_N = 25

# n: (d2, d3, c4) from their definitions (see the module docstring), seven decimals.
_D2_D3_C4 = {
    2: (1.1283792, 0.8525025, 0.7978846),
    3: (1.6925688, 0.8883680, 0.8862269),
    4: (2.0587507, 0.8798082, 0.9213177),
    5: (2.3259289, 0.8640819, 0.9399856),
    6: (2.5344127, 0.8480397, 0.9515329),
    7: (2.7043568, 0.8332053, 0.9593688),
    8: (2.8472006, 0.8198315, 0.9650305),
    9: (2.9700263, 0.8078343, 0.9693107),
    10: (3.0775055, 0.7970507, 0.9726593),
    11: (3.1728727, 0.7873146, 0.9753501),
    12: (3.2584553, 0.7784783, 0.9775594),
    13: (3.3359804, 0.7704162, 0.9794056),
    14: (3.4067631, 0.7630231, 0.9809714),
    15: (3.4718269, 0.7562114, 0.9823162),
    16: (3.5319828, 0.7499081, 0.9834835),
    17: (3.5878840, 0.7440518, 0.9845064),
    18: (3.6400638, 0.7385909, 0.9854100),
    19: (3.6889630, 0.7334815, 0.9862141),
    20: (3.7349501, 0.7286863, 0.9869343),
    21: (3.7783358, 0.7241733, 0.9875829),
    22: (3.8193846, 0.7199148, 0.9881703),
    23: (3.8583234, 0.7158867, 0.9887045),
    24: (3.8953481, 0.7120682, 0.9891927),
    25: (3.9306292, 0.7084408, 0.9896404),
}


# n: (A2, A3, c4, B3, B4, d2, d3, D3, D4) as printed (NIST/SEMATECH e-Handbook 6.3.2, ASTM STP 15-D).
_PRINTED = {
    2: (1.880, 2.659, 0.7979, 0.0, 3.267, 1.128, 0.853, 0.0, 3.267),
    3: (1.023, 1.954, 0.8862, 0.0, 2.568, 1.693, 0.888, 0.0, 2.574),
    4: (0.729, 1.628, 0.9213, 0.0, 2.266, 2.059, 0.880, 0.0, 2.282),
    5: (0.577, 1.427, 0.9400, 0.0, 2.089, 2.326, 0.864, 0.0, 2.114),
    6: (0.483, 1.287, 0.9515, 0.030, 1.970, 2.534, 0.848, 0.0, 2.004),
    7: (0.419, 1.182, 0.9594, 0.118, 1.882, 2.704, 0.833, 0.076, 1.924),
    8: (0.373, 1.099, 0.9650, 0.185, 1.815, 2.847, 0.820, 0.136, 1.864),
    9: (0.337, 1.032, 0.9693, 0.239, 1.761, 2.970, 0.808, 0.184, 1.816),
    10: (0.308, 0.975, 0.9727, 0.284, 1.716, 3.078, 0.797, 0.223, 1.777),
    11: (0.285, 0.927, 0.9754, 0.321, 1.679, 3.173, 0.787, 0.256, 1.744),
    12: (0.266, 0.886, 0.9776, 0.354, 1.646, 3.258, 0.778, 0.283, 1.717),
    13: (0.249, 0.850, 0.9794, 0.382, 1.618, 3.336, 0.770, 0.307, 1.693),
    14: (0.235, 0.817, 0.9810, 0.406, 1.594, 3.407, 0.763, 0.328, 1.672),
    15: (0.223, 0.789, 0.9823, 0.428, 1.572, 3.472, 0.756, 0.347, 1.653),
    16: (0.212, 0.763, 0.9835, 0.448, 1.552, 3.532, 0.750, 0.363, 1.637),
    17: (0.203, 0.739, 0.9845, 0.466, 1.534, 3.588, 0.744, 0.378, 1.622),
    18: (0.194, 0.718, 0.9854, 0.482, 1.518, 3.640, 0.739, 0.391, 1.608),
    19: (0.187, 0.698, 0.9862, 0.497, 1.503, 3.689, 0.734, 0.403, 1.597),
    20: (0.180, 0.680, 0.9869, 0.510, 1.490, 3.735, 0.729, 0.415, 1.585),
    21: (0.173, 0.663, 0.9876, 0.523, 1.477, 3.778, 0.724, 0.425, 1.575),
    22: (0.167, 0.647, 0.9882, 0.534, 1.466, 3.819, 0.720, 0.434, 1.566),
    23: (0.162, 0.633, 0.9887, 0.545, 1.455, 3.858, 0.716, 0.443, 1.557),
    24: (0.157, 0.619, 0.9892, 0.555, 1.445, 3.895, 0.712, 0.451, 1.548),
    25: (0.153, 0.606, 0.9896, 0.565, 1.435, 3.931, 0.708, 0.459, 1.541),
}
TABLES = ("exact", "printed")

class SpcInputError(ValueError):
    """Data that no control chart can be drawn from (too few points, unequal subgroups, ...)."""


def _number(value, what):
    if isinstance(value, bool) or isinstance(value, string_types) or value is None:
        raise SpcInputError("%s must be a number, got %r." % (what, value))
    try:
        result = float(value)
    except (TypeError, ValueError):
        raise SpcInputError("%s must be a number, got %r." % (what, value))
    if result != result or result in (float("inf"), float("-inf")):
        raise SpcInputError("%s must be finite, got %r." % (what, value))
    return result


def _numbers(values, what, minimum):
    result = [_number(v, what) for v in values]
    if len(result) < minimum:
        raise SpcInputError("%s needs at least %d values, got %d." % (what, minimum, len(result)))
    return result


def constants(n, k=3.0, table="exact"):
    """Control-chart constants for subgroup size `n` (2..25) and a `k`-sigma limit.

    Returns a dict with d2, d3, c4 and A2, A3, B3, B4, D3, D4, E2 from `table` ("exact" or
    "printed"; the printed table exists for k = 3 only).
    """
    if isinstance(n, bool) or n not in _D2_D3_C4:
        raise SpcInputError("subgroup size must be an integer from %d to %d, got %r."
                            % (MIN_N, MAX_N, n))
    if table == "printed":
        if k != 3:
            raise SpcInputError("the printed table holds 3-sigma constants only, got k=%r." % k)
        values = dict(zip(("A2", "A3", "c4", "B3", "B4", "d2", "d3", "D3", "D4"), _PRINTED[n]))
        values["n"] = n
        values["E2"] = 3.0 / values["d2"]
        return values
    if table != "exact":
        raise SpcInputError("constants table must be one of %s, got %r." % (", ".join(TABLES), table))
    d2, d3, c4 = _D2_D3_C4[n]
    root_n = math.sqrt(n)
    c5 = math.sqrt(1.0 - c4 * c4)
    return {
        "n": n, "d2": d2, "d3": d3, "c4": c4,
        "A2": k / (d2 * root_n),
        "A3": k / (c4 * root_n),
        "B3": max(0.0, 1.0 - k * c5 / c4),
        "B4": 1.0 + k * c5 / c4,
        "D3": max(0.0, 1.0 - k * d3 / d2),
        "D4": 1.0 + k * d3 / d2,
        "E2": k / d2,
    }


def mean(values):
    """Arithmetic mean of a non-empty list of numbers."""
    values = list(values)
    if not values:
        raise SpcInputError("the mean of no values is undefined.")
    return math.fsum(values) / len(values)


def stdev(values):
    """Sample standard deviation (n - 1 in the denominator)."""
    values = list(values)
    if len(values) < 2:
        raise SpcInputError("a standard deviation needs at least 2 values, got %d." % len(values))
    centre = mean(values)
    return math.sqrt(math.fsum([(v - centre) ** 2 for v in values]) / (len(values) - 1))


def _subgroups(subgroups):
    groups = [list(g) for g in subgroups]
    if len(groups) < 2:
        raise SpcInputError("a subgroup chart needs at least 2 subgroups, got %d." % len(groups))
    n = len(groups[0])
    for index, group in enumerate(groups):
        if len(group) != n:
            raise SpcInputError("subgroup %d has %d values but subgroup 0 has %d; subgroups must "
                                "be of equal size." % (index, len(group), n))
    groups = [_numbers(g, "subgroup %d" % i, 1) for i, g in enumerate(groups)]
    constants(n)  # validates n
    return groups, n


def _chart(name, points, center, sigma_point, lcl_floor=None):
    """Assemble a chart dict with per-point limits from one sigma per point."""
    sigmas = list(sigma_point) if isinstance(sigma_point, list) else [sigma_point] * len(points)
    ucl = [center + 3.0 * s for s in sigmas]
    lcl = [center - 3.0 * s for s in sigmas]
    if lcl_floor is not None:
        lcl = [max(lcl_floor, v) for v in lcl]
    return {"chart": name, "points": points, "center": center, "sigmas": sigmas,
            "ucl": ucl, "lcl": lcl}


def xbar_r(subgroups, k=3.0, table="exact"):
    """X-bar and R chart of equal-size subgroups.

    Returns {"xbar": chart, "r": chart, "n", "grand_mean", "rbar", "sigma_within"} where
    sigma_within = R-bar/d2 and each chart has constant limits (lists, one entry per point).
    """
    groups, n = _subgroups(subgroups)
    c = constants(n, k, table)
    means = [mean(g) for g in groups]
    ranges = [max(g) - min(g) for g in groups]
    grand, rbar = mean(means), mean(ranges)
    xbar = _limits_chart("xbar", means, grand, grand + c["A2"] * rbar, grand - c["A2"] * rbar)
    r = _limits_chart("r", ranges, rbar, c["D4"] * rbar, c["D3"] * rbar)
    return {"xbar": xbar, "r": r, "n": n, "grand_mean": grand, "rbar": rbar,
            "sigma_within": rbar / c["d2"]}


def xbar_s(subgroups, k=3.0, table="exact"):
    """X-bar and S chart of equal-size subgroups; sigma_within = s-bar/c4."""
    groups, n = _subgroups(subgroups)
    c = constants(n, k, table)
    means = [mean(g) for g in groups]
    sds = [stdev(g) for g in groups]
    grand, sbar = mean(means), mean(sds)
    xbar = _limits_chart("xbar", means, grand, grand + c["A3"] * sbar, grand - c["A3"] * sbar)
    s = _limits_chart("s", sds, sbar, c["B4"] * sbar, c["B3"] * sbar)
    return {"xbar": xbar, "s": s, "n": n, "grand_mean": grand, "sbar": sbar,
            "sigma_within": sbar / c["c4"]}


def _limits_chart(name, points, center, ucl, lcl):
    """A chart from explicit limits; sigmas are a third of the upper distance (the zone width)."""
    sigma = (ucl - center) / 3.0
    return {"chart": name, "points": points, "center": center, "sigmas": [sigma] * len(points),
            "ucl": [ucl] * len(points), "lcl": [lcl] * len(points)}


def imr(values, k=3.0, table="exact"):
    """Individuals and moving-range chart; sigma_within = MR-bar/d2(2).

    The moving-range chart has one point fewer than the individuals chart (the first value has
    no moving range).
    """
    values = _numbers(values, "individual values", 2)
    c = constants(2, k, table)
    ranges = [abs(values[i] - values[i - 1]) for i in range(1, len(values))]
    centre, mrbar = mean(values), mean(ranges)
    sigma = mrbar / c["d2"]
    return {"x": _limits_chart("x", values, centre, centre + k * sigma, centre - k * sigma),
            "mr": _limits_chart("mr", ranges, mrbar, c["D4"] * mrbar, c["D3"] * mrbar),
            "mean": centre, "mrbar": mrbar, "sigma_within": sigma}


def _counts(counts, what):
    result = _numbers(counts, what, 2)
    for value in result:
        if value < 0:
            raise SpcInputError("%s must not be negative, got %r." % (what, value))
    return result


def _sizes(sizes, length):
    if isinstance(sizes, (int, float)) and not isinstance(sizes, bool):
        sizes = [sizes] * length
    sizes = [_number(s, "sample size") for s in sizes]
    if len(sizes) != length:
        raise SpcInputError("got %d sample sizes for %d samples." % (len(sizes), length))
    for size in sizes:
        if size <= 0:
            raise SpcInputError("sample size must be positive, got %r." % size)
    return sizes


def p_chart(defectives, sizes):
    """Fraction-defective chart; `sizes` is one number or one per sample (limits per point)."""
    counts = _counts(defectives, "defectives")
    sizes = _sizes(sizes, len(counts))
    for count, size in zip(counts, sizes):
        if count > size:
            raise SpcInputError("defectives %r exceed the sample size %r." % (count, size))
    pbar = math.fsum(counts) / math.fsum(sizes)
    points = [c / s for c, s in zip(counts, sizes)]
    sigmas = [math.sqrt(pbar * (1.0 - pbar) / s) for s in sizes]
    chart = _chart("p", points, pbar, sigmas, lcl_floor=0.0)
    chart["ucl"] = [min(1.0, v) for v in chart["ucl"]]
    return chart


def np_chart(defectives, size):
    """Number-defective chart for a constant sample size."""
    counts = _counts(defectives, "defectives")
    size = _number(size, "sample size")
    if size <= 0:
        raise SpcInputError("sample size must be positive, got %r." % size)
    pbar = mean(counts) / size
    return _chart("np", counts, size * pbar, math.sqrt(size * pbar * (1.0 - pbar)), lcl_floor=0.0)


def c_chart(counts):
    """Count-of-defects chart (equal area of opportunity)."""
    counts = _counts(counts, "defect counts")
    cbar = mean(counts)
    return _chart("c", counts, cbar, math.sqrt(cbar), lcl_floor=0.0)


def u_chart(counts, sizes):
    """Defects-per-unit chart; `sizes` (units inspected) one number or one per sample."""
    counts = _counts(counts, "defect counts")
    sizes = _sizes(sizes, len(counts))
    ubar = math.fsum(counts) / math.fsum(sizes)
    points = [c / s for c, s in zip(counts, sizes)]
    return _chart("u", points, ubar, [math.sqrt(ubar / s) for s in sizes], lcl_floor=0.0)


def standardize(chart):
    """The chart's points as distances from the centre line in sigmas (what the rules judge).

    A point whose sigma is zero (a degenerate chart) is 0.0 on the centre line, else +/- inf.
    """
    result = []
    for point, sigma in zip(chart["points"], chart["sigmas"]):
        delta = point - chart["center"]
        if sigma > 0:
            result.append(delta / sigma)
        elif delta == 0:
            result.append(0.0)
        else:
            result.append(float("inf") if delta > 0 else float("-inf"))
    return result
