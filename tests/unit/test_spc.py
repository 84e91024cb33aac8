"""mes.spc: control-chart constants and charts against published values."""
from __future__ import absolute_import, division, print_function

import math

import pytest

from mes_pure import load

(spc,) = load("spc")

# NIST/SEMATECH e-Handbook of Statistical Methods, 6.3.2.1 "Shewhart X-bar and R and S control
# charts" (tables of A2, A3, B3, B4, c4, D3, D4 and d2); the same values as ASTM STP 15-D.
# n: (A2, A3, c4, B3, B4, d2, D3, D4)
PRINTED = {
    2: (1.880, 2.659, 0.7979, 0.000, 3.267, 1.128, 0.000, 3.267),
    3: (1.023, 1.954, 0.8862, 0.000, 2.568, 1.693, 0.000, 2.574),
    4: (0.729, 1.628, 0.9213, 0.000, 2.266, 2.059, 0.000, 2.282),
    5: (0.577, 1.427, 0.9400, 0.000, 2.089, 2.326, 0.000, 2.114),
    6: (0.483, 1.287, 0.9515, 0.030, 1.970, 2.534, 0.000, 2.004),
    7: (0.419, 1.182, 0.9594, 0.118, 1.882, 2.704, 0.076, 1.924),
    8: (0.373, 1.099, 0.9650, 0.185, 1.815, 2.847, 0.136, 1.864),
    9: (0.337, 1.032, 0.9693, 0.239, 1.761, 2.970, 0.184, 1.816),
    10: (0.308, 0.975, 0.9727, 0.284, 1.716, 3.078, 0.223, 1.777),
}
NAMES = ("A2", "A3", "c4", "B3", "B4", "d2", "D3", "D4")
# The one printed value for n <= 10 that the definitions do not round to: D4 at n = 3 is
# 1 + 3 * 0.888368 / 1.692569 = 2.57459; the table prints 2.574 (computed from rounded d2, d3).
PRINTED_DIFFERS = {(3, "D4"): 2.5746}


def _cases():
    for n in sorted(PRINTED):
        for name, printed in zip(NAMES, PRINTED[n]):
            yield n, name, printed


@pytest.mark.parametrize("n,name,printed", list(_cases()))
def test_constant_rounds_to_the_nist_printed_value(n, name, printed):
    digits = 4 if name == "c4" else 3
    value = spc.constants(n)[name]
    if (n, name) in PRINTED_DIFFERS:
        assert round(value, 4) == PRINTED_DIFFERS[(n, name)]
        assert abs(value - printed) < 0.001
    else:
        assert round(value, digits) == printed


def _range_moments(n, h=0.01, lim=9.0):
    """d2 = E[W] and d3 = sd[W] of the range W of n standard normals, by Simpson's rule."""
    steps = int(round(2 * lim / h))
    xs = [-lim + i * h for i in range(steps + 1)]
    phi = [0.5 * (1.0 + math.erf(x / math.sqrt(2.0))) for x in xs]

    def simpson(values):
        total = values[0] + values[-1]
        total += 4 * sum(values[1:-1:2]) + 2 * sum(values[2:-1:2])
        return total * h / 3.0

    d2 = simpson([1 - p ** n - (1 - p) ** n for p in phi])
    inner = []
    for k in range(0, steps + 1, 2):  # W^2 = 2 * double integral over s < t = s + u
        f = [1 - (1 - phi[i]) ** n - phi[i + k] ** n + (phi[i + k] - phi[i]) ** n
             for i in range(0, steps + 1 - k)]
        if len(f) % 2 == 0:
            f = f[:-1]
        inner.append(simpson(f) if len(f) >= 3 else 0.0)
    h2 = 2 * h
    tot = inner[0] + inner[-1] + 4 * sum(inner[1:-1:2]) + 2 * sum(inner[2:-1:2])
    ew2 = 2 * tot * h2 / 3.0
    return d2, math.sqrt(ew2 - d2 * d2)


@pytest.mark.parametrize("n", [2, 3, 5, 10])
def test_stored_d2_and_d3_are_the_values_of_their_definitions(n):
    d2, d3 = _range_moments(n)
    c = spc.constants(n)
    assert abs(c["d2"] - d2) < 2e-5
    assert abs(c["d3"] - d3) < 2e-4


@pytest.mark.parametrize("n", range(2, 26))
def test_stored_c4_is_the_gamma_function_value(n):
    exact = math.sqrt(2.0 / (n - 1)) * math.exp(math.lgamma(n / 2.0) - math.lgamma((n - 1) / 2.0))
    assert abs(spc.constants(n)["c4"] - exact) < 5e-8


def test_d2_for_two_is_two_over_root_pi_and_d3_is_root_of_two_minus_d2_squared():
    c = spc.constants(2)
    assert abs(c["d2"] - 2 / math.sqrt(math.pi)) < 1e-7
    assert abs(c["d3"] - math.sqrt(2 - 4 / math.pi)) < 1e-7
    assert abs(c["E2"] - 2.659) < 5e-4


@pytest.mark.parametrize("n", [1, 26, 0, "5", True, 5.5])
def test_subgroup_size_outside_two_to_twentyfive_is_refused(n):
    with pytest.raises(spc.SpcInputError):
        spc.constants(n)


# NIST/SEMATECH e-Handbook 6.3.2.2 "Individuals control charts": 10 batches (flow rate),
# published x-bar = 50.81, MR-bar = 1.8778, UCL = 55.8041, LCL = 45.8159, MR chart UCL = 6.1349.
NIST_BATCHES = [49.6, 47.6, 49.9, 51.3, 47.8, 51.2, 52.6, 52.4, 53.6, 52.1]


def test_imr_with_the_printed_table_reproduces_the_nist_individuals_example_digit_for_digit():
    chart = spc.imr(NIST_BATCHES, table="printed")
    assert round(chart["mean"], 2) == 50.81
    assert round(chart["mrbar"], 4) == 1.8778
    assert round(chart["x"]["ucl"][0], 4) == 55.8041
    assert round(chart["x"]["lcl"][0], 4) == 45.8159
    assert round(chart["mr"]["ucl"][0], 2) == 6.13
    assert chart["mr"]["lcl"][0] == 0.0
    assert len(chart["mr"]["points"]) == 9


def test_imr_with_exact_constants_differs_from_the_nist_example_only_through_d2():
    chart = spc.imr(NIST_BATCHES)
    # 50.81 + 3 * 1.87778 / 1.1283792 (exact d2) instead of / 1.128 (printed d2)
    assert round(chart["x"]["ucl"][0], 4) == 55.8024
    assert round(chart["x"]["lcl"][0], 4) == 45.8176
    assert round(chart["mr"]["ucl"][0], 4) == round((1 + 3 * 0.8525025 / 1.1283792) * 16.9 / 9, 4)


def test_printed_table_holds_the_printed_values_and_only_three_sigma():
    for n in sorted(PRINTED):
        c = spc.constants(n, table="printed")
        assert tuple(c[name] for name in NAMES) == PRINTED[n]
    with pytest.raises(spc.SpcInputError):
        spc.constants(5, k=2.5, table="printed")
    with pytest.raises(spc.SpcInputError):
        spc.constants(5, table="rounded")


# Piston-ring inside diameters, 25 subgroups of 5 (Montgomery, Introduction to Statistical
# Quality Control, Table 6.3; R package qcc data set `pistonrings`, trial samples). Published
# (qcc): centre 74.00118, LCL 73.98805, UCL 74.0143; R-bar 0.02276, R chart UCL 0.04812.
# Montgomery's X-bar/S chart: UCL 74.014, LCL 73.988.
PISTON_RINGS = [
    (74.030, 74.002, 74.019, 73.992, 74.008), (73.995, 73.992, 74.001, 74.011, 74.004),
    (73.988, 74.024, 74.021, 74.005, 74.002), (74.002, 73.996, 73.993, 74.015, 74.009),
    (73.992, 74.007, 74.015, 73.989, 74.014), (74.009, 73.994, 73.997, 73.985, 73.993),
    (73.995, 74.006, 73.994, 74.000, 74.005), (73.985, 74.003, 73.993, 74.015, 73.988),
    (74.008, 73.995, 74.009, 74.005, 74.004), (73.998, 74.000, 73.990, 74.007, 73.995),
    (73.994, 73.998, 73.994, 73.995, 73.990), (74.004, 74.000, 74.007, 74.000, 73.996),
    (73.983, 74.002, 73.998, 73.997, 74.012), (74.006, 73.967, 73.994, 74.000, 73.984),
    (74.012, 74.014, 73.998, 73.999, 74.007), (74.000, 73.984, 74.005, 73.998, 73.996),
    (73.994, 74.012, 73.986, 74.005, 74.007), (74.006, 74.010, 74.018, 74.003, 74.000),
    (73.984, 74.002, 74.003, 74.005, 73.997), (74.000, 74.010, 74.013, 74.020, 74.003),
    (73.988, 74.001, 74.009, 74.005, 73.996), (74.004, 73.999, 73.990, 74.006, 74.009),
    (74.010, 73.989, 73.990, 74.009, 74.014), (74.015, 74.008, 73.993, 74.000, 74.010),
    (73.982, 73.984, 73.995, 74.017, 74.013),
]


def test_xbar_r_reproduces_the_piston_ring_example():
    chart = spc.xbar_r(PISTON_RINGS)
    assert round(chart["grand_mean"], 5) == 74.00118
    assert round(chart["rbar"], 5) == 0.02276
    assert round(chart["xbar"]["ucl"][0], 4) == 74.0143
    assert round(chart["xbar"]["lcl"][0], 5) == 73.98805
    assert abs(chart["r"]["ucl"][0] - 0.04812) < 1e-5  # qcc prints four significant digits
    assert chart["r"]["lcl"][0] == 0.0
    assert round(chart["sigma_within"], 7) == round(0.02276 / 2.3259289, 7)


def test_xbar_s_reproduces_the_piston_ring_limits():
    chart = spc.xbar_s(PISTON_RINGS)
    assert round(chart["xbar"]["ucl"][0], 3) == 74.014
    assert round(chart["xbar"]["lcl"][0], 3) == 73.988
    assert round(chart["sbar"], 5) == 0.00924
    assert round(chart["s"]["ucl"][0], 5) == round(2.0889 * chart["sbar"], 5)


# NIST/SEMATECH e-Handbook 6.3.3.2 "Proportions control charts": 30 wafers of 50 chips,
# published p-bar = 0.2313, UCL = 0.4102 (0.41024), LCL = 0.0524.
NIST_WAFER_DEFECTIVES = [12, 15, 8, 10, 4, 7, 16, 9, 14, 10, 5, 6, 17, 12, 22, 8, 10, 5, 13, 11,
                         20, 18, 24, 15, 9, 12, 7, 13, 9, 6]


def test_p_chart_reproduces_the_nist_wafer_example():
    chart = spc.p_chart(NIST_WAFER_DEFECTIVES, 50)
    assert round(chart["center"], 4) == 0.2313
    assert round(chart["ucl"][0], 4) == 0.4102
    assert round(chart["lcl"][0], 4) == 0.0524
    assert chart["points"][0] == 0.24


def test_np_chart_of_the_nist_wafers_is_the_p_chart_times_n():
    chart = spc.np_chart(NIST_WAFER_DEFECTIVES, 50)
    assert round(chart["center"], 4) == round(50 * 347 / 1500.0, 4)
    assert round(chart["ucl"][0], 3) == round(50 * 0.410239, 3)
    assert round(chart["lcl"][0], 3) == round(50 * 0.052428, 3)


def test_p_chart_with_unequal_samples_has_limits_per_point():
    chart = spc.p_chart([5, 5], [50, 200])
    assert chart["center"] == 0.04
    assert chart["sigmas"][0] == math.sqrt(0.04 * 0.96 / 50)
    assert chart["ucl"][0] > chart["ucl"][1]
    assert chart["lcl"] == [0.0, 0.0]


# NIST/SEMATECH e-Handbook 6.3.3.1 "Counts control charts": defects on 25 wafers,
# published c-bar = 16, UCL = 28, LCL = 4.
NIST_WAFER_DEFECTS = [16, 14, 28, 16, 12, 20, 10, 12, 10, 17, 19, 17, 14, 16, 15, 13, 14, 16, 11,
                      20, 11, 19, 16, 31, 13]


def test_c_chart_reproduces_the_nist_wafer_defects_example():
    chart = spc.c_chart(NIST_WAFER_DEFECTS)
    assert (chart["center"], chart["ucl"][0], chart["lcl"][0]) == (16.0, 28.0, 4.0)


# Montgomery, Example 7.3 (26 printed circuit boards; qcc `circuit` trial samples):
# published c-bar = 19.85, LCL = 6.48; qcc prints UCL 33.21086 (Montgomery's 33.22 is
# 19.85 + 3 sqrt(19.85) from the rounded centre).
CIRCUIT = [21, 24, 16, 12, 15, 5, 28, 20, 31, 25, 20, 24, 16, 19, 10, 17, 13, 22, 18, 39, 30, 24,
           16, 19, 17, 15]


def test_c_chart_reproduces_the_circuit_board_example():
    chart = spc.c_chart(CIRCUIT)
    assert round(chart["center"], 2) == 19.85
    assert round(chart["ucl"][0], 5) == 33.21086
    assert round(chart["lcl"][0], 2) == 6.48


# Montgomery, Introduction to Statistical Quality Control, Example 7.5 (nonconformities in 20
# samples of 5 personal computers, 193 in all): published u-bar = 1.93, UCL = 3.79, LCL = 0.07.
PERSONAL_COMPUTERS = [10, 12, 8, 14, 10, 16, 11, 7, 10, 15, 9, 5, 7, 11, 12, 6, 8, 10, 7, 5]


def test_u_chart_reproduces_the_personal_computer_example():
    chart = spc.u_chart(PERSONAL_COMPUTERS, 5)
    assert round(chart["center"], 2) == 1.93
    assert round(chart["ucl"][0], 2) == 3.79
    assert round(chart["lcl"][0], 2) == 0.07
    assert chart["points"][0] == 2.0


def test_standardize_gives_distances_in_sigmas():
    chart = {"points": [10.0, 13.0, 7.0, 10.0], "center": 10.0, "sigmas": [1.0, 1.5, 1.0, 0.0]}
    assert spc.standardize(chart) == [0.0, 2.0, -3.0, 0.0]


@pytest.mark.parametrize("call", [
    lambda: spc.imr([1.0]),
    lambda: spc.imr([1.0, "2.0"]),
    lambda: spc.imr([1.0, float("nan")]),
    lambda: spc.xbar_r([(1, 2, 3), (1, 2)]),
    lambda: spc.xbar_r([(1, 2, 3)]),
    lambda: spc.p_chart([3, 60], 50),
    lambda: spc.p_chart([3, 4], [50]),
    lambda: spc.c_chart([3, -1]),
    lambda: spc.u_chart([3, 1], 0),
])
def test_data_no_chart_can_be_drawn_from_is_refused_with_spc_input_error(call):
    with pytest.raises(spc.SpcInputError):
        call()


def test_public_names_of_the_spc_modules_are_sorted_and_defined():
    for module in load("spc", "spcrules", "capability"):
        assert list(module.__all__) == sorted(module.__all__)
        assert [name for name in module.__all__ if not hasattr(module, name)] == []
