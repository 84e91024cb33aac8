"""Process capability and performance indices: Cp, Cpk, Pp, Ppk (and Cpm).

Decisions (taken once, here):

* Cp and Cpk use the within-subgroup sigma: R-bar/d2 for subgroups judged by range (the
  default for subgroups of 2..9), s-bar/c4 for subgroups judged by standard deviation (default
  for 10 and more), MR-bar/d2(2) for individual values. `method` chooses explicitly.
* Pp and Ppk use the overall sample standard deviation s (n - 1) of all values together.
* One-sided specifications: with only USL (or only LSL) Cp and Pp are None and Cpk/Ppk are the
  one-sided index (Cpu or Cpl). At least one limit is required; LSL must be below USL.
* Cpm (Taguchi) is given when a target is: (USL - LSL) / (6 sqrt(s^2 + (mean - target)^2)).
* Indices are not rounded; round for display only.
"""
from __future__ import absolute_import, division, print_function

import math

__all__ = ["CapabilityInputError", "capability", "indices"]

_METHODS = ("rbar", "sbar", "mr")


class CapabilityInputError(ValueError):
    """Specification limits or data that capability cannot be computed from."""


def indices(mean, sigma, lsl=None, usl=None):
    """Cp-style indices for a given mean and sigma: {"p", "pk", "pu", "pl"} (None where undefined)."""
    if lsl is None and usl is None:
        raise CapabilityInputError("capability needs at least one specification limit.")
    if lsl is not None and usl is not None and not lsl < usl:
        raise CapabilityInputError("LSL %r must be below USL %r." % (lsl, usl))
    if not sigma > 0:
        raise CapabilityInputError("sigma must be positive to judge capability, got %r." % sigma)
    pu = (usl - mean) / (3.0 * sigma) if usl is not None else None
    pl = (mean - lsl) / (3.0 * sigma) if lsl is not None else None
    p = (usl - lsl) / (6.0 * sigma) if pu is not None and pl is not None else None
    pk = min(v for v in (pu, pl) if v is not None)
    return {"p": p, "pk": pk, "pu": pu, "pl": pl}


def _flatten(data):
    """(values, subgroups or None) from a list of numbers or a list of subgroups."""
    data = list(data)
    if data and isinstance(data[0], (list, tuple)):
        groups = [list(g) for g in data]
        return [v for g in groups for v in g], groups
    return data, None


def capability(data, lsl=None, usl=None, method=None, target=None, table="exact"):
    """Cp, Cpk, Pp, Ppk (and Cpm with a target) of individual values or equal-size subgroups.

    Returns a dict: mean, sigma_within, sigma_overall, method, cp, cpk, cpu, cpl, pp, ppk, ppu,
    ppl, cpm.
    """
    values, groups = _flatten(data)
    if method is None:
        method = "mr" if groups is None else ("rbar" if len(groups[0]) < 10 else "sbar")
    if method not in _METHODS:
        raise CapabilityInputError("method must be one of %s, got %r." % (", ".join(_METHODS), method))
    try:
        if method == "mr":
            chart = mes.spc.imr(values, table=table)
        elif groups is None:
            raise CapabilityInputError("method %r needs subgroups, got individual values." % method)
        elif method == "rbar":
            chart = mes.spc.xbar_r(groups, table=table)
        else:
            chart = mes.spc.xbar_s(groups, table=table)
    except ValueError as error:
        raise CapabilityInputError(str(error))
    centre = mes.spc.mean(values)
    within = chart["sigma_within"]
    overall = mes.spc.stdev(values)
    c = indices(centre, within, lsl, usl)
    p = indices(centre, overall, lsl, usl)
    cpm = None
    if target is not None and lsl is not None and usl is not None:
        cpm = (usl - lsl) / (6.0 * math.sqrt(overall ** 2 + (centre - target) ** 2))
    return {"mean": centre, "sigma_within": within, "sigma_overall": overall, "method": method,
            "cp": c["p"], "cpk": c["pk"], "cpu": c["pu"], "cpl": c["pl"],
            "pp": p["p"], "ppk": p["pk"], "ppu": p["pu"], "ppl": p["pl"], "cpm": cpm}

