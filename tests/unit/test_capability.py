"""mes.capability: Cp/Cpk with within-subgroup sigma, Pp/Ppk with the overall s."""
from __future__ import absolute_import, division, print_function

import pytest

from mes_pure import load

spc, capability = load("spc", "capability")

from test_spc import NIST_BATCHES, PISTON_RINGS  # noqa: E402


def test_indices_reproduce_the_nist_capability_example():
    # NIST/SEMATECH e-Handbook 6.1.6 "What is process capability?": USL = 20, LSL = 8,
    # mean = 16, sigma = 2 gives Cp = 1.0, Cpu = 0.6667, Cpl = 1.3333, Cpk = 0.6667.
    result = capability.indices(16.0, 2.0, lsl=8.0, usl=20.0)
    assert result["p"] == 1.0
    assert round(result["pu"], 4) == 0.6667
    assert round(result["pl"], 4) == 1.3333
    assert round(result["pk"], 4) == 0.6667


def test_cp_and_cpk_of_subgroups_use_rbar_over_d2_and_pp_ppk_the_overall_s():
    result = capability.capability(PISTON_RINGS, lsl=73.95, usl=74.05)
    values = [v for g in PISTON_RINGS for v in g]
    assert result["method"] == "rbar"
    assert result["sigma_within"] == spc.xbar_r(PISTON_RINGS)["sigma_within"]
    assert result["sigma_overall"] == spc.stdev(values)
    assert result["cp"] == (74.05 - 73.95) / (6 * result["sigma_within"])
    assert result["pp"] == (74.05 - 73.95) / (6 * result["sigma_overall"])
    # qcc process.capability(pistonrings, spec.limits = c(73.95, 74.05)), R-bar/d2 sigma:
    # published Cp = 1.70, Cpk = 1.66.
    assert round(result["cp"], 2) == 1.70
    assert round(result["cpk"], 2) == 1.66
    assert result["cpk"] == min(result["cpu"], result["cpl"])
    assert result["ppk"] == min(result["ppu"], result["ppl"])


def test_sbar_method_uses_sbar_over_c4():
    result = capability.capability(PISTON_RINGS, lsl=73.95, usl=74.05, method="sbar")
    assert result["sigma_within"] == spc.xbar_s(PISTON_RINGS)["sigma_within"]


def test_subgroups_of_ten_or_more_default_to_sbar():
    groups = [[float(i + j) for j in range(10)] for i in range(3)]
    assert capability.capability(groups, lsl=-10.0, usl=30.0)["method"] == "sbar"


def test_individual_values_use_the_moving_range():
    result = capability.capability(NIST_BATCHES, lsl=44.0, usl=58.0)
    assert result["method"] == "mr"
    assert round(result["sigma_within"], 4) == round(1.877778 / 1.1283792, 4)


def test_one_sided_specification_gives_cpk_from_its_side_and_no_cp():
    result = capability.capability(NIST_BATCHES, usl=58.0)
    assert result["cp"] is None and result["pp"] is None and result["cpl"] is None
    assert result["cpk"] == result["cpu"]


def test_cpm_needs_a_target_and_both_limits():
    result = capability.capability(NIST_BATCHES, lsl=44.0, usl=58.0, target=51.0)
    assert round(result["cpm"], 6) == round(14.0 / (6 * (result["sigma_overall"] ** 2 + 0.19 ** 2) ** 0.5), 6)
    assert capability.capability(NIST_BATCHES, usl=58.0, target=51.0)["cpm"] is None


@pytest.mark.parametrize("call", [
    lambda: capability.indices(1.0, 1.0),
    lambda: capability.indices(1.0, 1.0, lsl=2.0, usl=2.0),
    lambda: capability.indices(1.0, 0.0, lsl=0.0, usl=2.0),
    lambda: capability.capability(NIST_BATCHES, lsl=0.0, usl=99.0, method="rbar"),
    lambda: capability.capability(NIST_BATCHES, lsl=0.0, usl=99.0, method="median"),
    lambda: capability.capability([1.0], lsl=0.0, usl=2.0),
])
def test_capability_without_limits_sigma_or_data_is_refused(call):
    with pytest.raises(capability.CapabilityInputError):
        call()
