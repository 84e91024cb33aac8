"""The SPC and capability functions on published examples, through the gateway's library.

Runs on every host without a database: the parity tests compare the figures between CPython and
Jython 2.7, where integer division, float formatting and the math module could differ.
"""
from __future__ import absolute_import, division, print_function

PROJECT = "project"
START = "2026-01-05T06:00:00"

# NIST/SEMATECH e-Handbook 6.3.2.2 (individuals) and 6.3.3.2 (p chart) data sets.
BATCHES = [49.6, 47.6, 49.9, 51.3, 47.8, 51.2, 52.6, 52.4, 53.6, 52.1]
WAFERS = [12, 15, 8, 10, 4, 7, 16, 9, 14, 10, 5, 6, 17, 12, 22, 8, 10, 5, 13, 11,
          20, 18, 24, 15, 9, 12, 7, 13, 9, 6]


def _f(value):
    return None if value is None else "%.6f" % value


def run(gw):
    call = gw.call
    constants = {}
    for n in range(2, 11):
        c = call("mes.spc.constants", n)
        constants[str(n)] = dict((k, _f(c[k])) for k in ("A2", "A3", "B3", "B4", "D3", "D4", "E2"))
    individuals = call("mes.spc.imr", BATCHES, 3.0, "printed")
    exact = call("mes.spc.imr", BATCHES)
    p = call("mes.spc.p_chart", WAFERS, 50)
    z = call("mes.spc.standardize", exact["x"])
    drift = [0.1, 0.3, 0.2, 0.5, 0.7, 0.9, 1.2, 1.4, 1.1, 2.3, 2.4, 0.2, -0.5, 3.2]
    cap = call("mes.capability.capability", BATCHES, 44.0, 58.0, None, 51.0)
    return {
        "constants": constants,
        "imr_printed": [_f(individuals["mean"]), _f(individuals["x"]["ucl"][0]),
                        _f(individuals["x"]["lcl"][0]), _f(individuals["mr"]["ucl"][0])],
        "imr_exact_z": [_f(v) for v in z],
        "p_chart": [_f(p["center"]), _f(p["ucl"][0]), _f(p["lcl"][0])],
        "hits": [[h["rule"], h["index"], h["points"][0]]
                 for h in call("mes.spcrules.evaluate", drift, "N1,N2,N3,N5,N6,WE2,WE3")],
        "capability": dict((k, _f(cap[k])) for k in ("cp", "cpk", "pp", "ppk", "cpm",
                                                     "sigma_within", "sigma_overall")),
    }
