"""Machine behaviour models: state machine, UInt32 counters, faults, coupling, scanners, gauges."""
from __future__ import absolute_import, division, print_function

import pytest

from simulator.kinds import (CasePacker, Checkweigher, EndOfLineTest, Filler, Labeler, Press,
                             VisionInspection, machine_class)
from simulator.line import Line
from simulator.models import (BLOCKED, CHANGEOVER, FAULTED, IDLE, MAJOR_FAULTS, MICRO_FAULTS,
                              PLANNED_STOP, RUNNING, STARVED, UINT32, Buffer, Counter, Gauge,
                              Machine, Scale, Scanner)


def run(machine_or_line, seconds, dt=1.0):
    for _ in range(int(round(seconds / dt))):
        machine_or_line.step(dt)


def trace(machine, seconds, dt=1.0):
    seen = []
    for _ in range(int(round(seconds / dt))):
        machine.step(dt)
        seen.append(tuple(sorted(machine.values().items())))
    return seen


# ---- counters -------------------------------------------------------------------------------
def test_counter_wraps_at_two_to_the_32_and_keeps_its_true_total():
    counter = Counter(start=UINT32 - 2)
    counter.add(3)
    assert (counter.value, counter.total) == (1, 3)


def test_counter_reset_sets_the_register_to_zero_but_not_the_total():
    counter = Counter(start=500)
    counter.add(7)
    counter.reset()
    counter.add(2)
    assert (counter.value, counter.total) == (2, 9)


def test_machine_counters_started_near_the_wrap_roll_over_to_small_values():
    machine = Machine("M", ideal_rate=120.0, counter_start=UINT32 - 10)
    run(machine, 60)
    assert machine.values()["OutfeedCount"] == 110
    assert machine.totals()["outfeed"] == 120


def test_plc_restart_zeroes_counters_keeps_totals_and_comes_back_idle():
    machine = Machine("M", ideal_rate=60.0, counter_start=1000)
    run(machine, 30)
    machine.restart()
    assert machine.values()["InfeedCount"] == 0
    assert machine.values()["State"] == IDLE
    run(machine, 10)
    assert machine.values()["InfeedCount"] == 10
    assert machine.totals()["infeed"] == 40
    assert machine.restarts == 1


# ---- rate and states ------------------------------------------------------------------------
def test_machine_without_losses_makes_its_ideal_rate():
    machine = Machine("M", ideal_rate=200.0)
    run(machine, 60, dt=0.1)
    assert machine.totals()["outfeed"] == 200
    assert machine.values()["State"] == RUNNING
    assert machine.values()["Speed"] == 200.0


def test_speed_loss_slows_the_machine_by_that_fraction():
    machine = Machine("M", ideal_rate=200.0, speed_loss=0.1)
    run(machine, 60)
    assert machine.totals()["outfeed"] == 180
    assert machine.values()["Speed"] == 180.0


def test_same_seed_gives_the_same_trace_and_another_seed_does_not():
    options = dict(ideal_rate=200.0, speed_noise=0.05, mtbf=300.0, mttr=30.0, micro_stop_mtbf=60.0,
                   reject_rate=0.01)
    first = trace(Filler("F", seed=7, **options), 900)
    again = trace(Filler("F", seed=7, **options), 900)
    other = trace(Filler("F", seed=8, **options), 900)
    assert first == again
    assert first != other


def test_permissive_false_idles_the_machine_and_true_restarts_it():
    machine = Machine("M", ideal_rate=60.0)
    machine.write("Permissive", False)
    run(machine, 10)
    assert (machine.values()["State"], machine.totals()["outfeed"]) == (IDLE, 0)
    machine.write("Permissive", True)
    run(machine, 10)
    assert (machine.values()["State"], machine.totals()["outfeed"]) == (RUNNING, 10)


def test_writing_a_read_only_member_is_refused():
    with pytest.raises(KeyError):
        Machine("M").write("OutfeedCount", 0)


@pytest.mark.parametrize("command, state", [("plan_stop", PLANNED_STOP), ("changeover", CHANGEOVER)])
def test_planned_stop_and_changeover_hold_their_state_for_their_duration(command, state):
    machine = Machine("M", ideal_rate=60.0)
    getattr(machine, command)(30)
    run(machine, 30)
    assert machine.values()["State"] == state
    assert machine.totals()["outfeed"] == 0
    run(machine, 10)
    assert machine.values()["State"] == RUNNING
    assert machine.totals()["outfeed"] == 10
    assert machine.state_seconds[state] == 30.0


def test_forced_fault_shows_its_code_until_it_clears():
    machine = Machine("M", ideal_rate=60.0)
    machine.fault(12, 5)
    run(machine, 4)
    assert (machine.values()["State"], machine.values()["FaultCode"]) == (FAULTED, 12)
    run(machine, 2)
    assert (machine.values()["State"], machine.values()["FaultCode"]) == (RUNNING, 0)


def test_mtbf_faults_use_major_codes_and_repair_in_about_mttr():
    machine = Machine("M", ideal_rate=200.0, seed=3, mtbf=600.0, mttr=60.0)
    codes = set()
    for _ in range(8 * 3600):
        machine.step(1.0)
        if machine.state == FAULTED:
            codes.add(machine.fault_code)
    faulted = machine.state_seconds[FAULTED]
    assert codes and codes <= set(MAJOR_FAULTS)
    # Expected share of time faulted: MTTR / (MTBF + MTTR) = 9.1 %; seeded run lands near it.
    assert 0.05 < faulted / (8 * 3600.0) < 0.14


def test_micro_stops_use_micro_codes_and_last_within_their_range():
    machine = Machine("M", ideal_rate=200.0, seed=5, micro_stop_mtbf=120.0, micro_stop_range=(3.0, 8.0))
    changes = machine.track_transitions()
    for _ in range(3600):
        machine.step(1.0)
    codes = set(code for _, state, code in changes if state == FAULTED)
    durations = [later[0] - at for (at, state, _), later in zip(changes, changes[1:]) if state == FAULTED]
    assert codes <= set(MICRO_FAULTS) and codes
    assert len(durations) > 10
    assert min(durations) >= 3 - 1e-6 and max(durations) <= 8 + 1e-6


def test_a_stop_begins_and_ends_inside_a_step_at_its_own_instant():
    machine = Machine("M", ideal_rate=60.0)
    changes = machine.track_transitions()
    machine.step(1.0)
    machine.fault(12, 2.5)
    machine.step(10.0)
    assert changes == [(0.0, RUNNING, 0), (1.0, FAULTED, 12), (3.5, RUNNING, 0)]
    assert machine.totals()["outfeed"] == 1 + 7


def test_reject_rate_splits_infeed_into_outfeed_and_rejects():
    machine = Machine("M", ideal_rate=200.0, seed=11, reject_rate=0.05)
    run(machine, 600)
    totals = machine.totals()
    assert totals["infeed"] == 2000
    assert totals["outfeed"] + totals["reject"] == 2000
    assert 50 < totals["reject"] < 150


# ---- coupling -------------------------------------------------------------------------------
def test_a_faulted_downstream_machine_blocks_upstream_once_the_buffer_is_full():
    upstream, downstream = Machine("A", ideal_rate=60.0), Machine("B", ideal_rate=60.0)
    line = Line("L", [upstream, downstream], buffer_capacity=5)
    downstream.fault(11, 600)
    run(line, 20)
    assert upstream.values()["State"] == BLOCKED
    assert len(line.buffers[0]) == 5
    assert upstream.totals()["outfeed"] == 5


def test_a_faulted_upstream_machine_starves_downstream():
    upstream, downstream = Machine("A", ideal_rate=60.0), Machine("B", ideal_rate=60.0)
    line = Line("L", [upstream, downstream], buffer_capacity=5)
    run(line, 10)
    upstream.fault(11, 600)
    run(line, 5)
    assert downstream.values()["State"] == STARVED
    assert downstream.totals()["infeed"] == 10


def test_a_line_conserves_parts_started_finished_rejected_and_in_buffers():
    machines = [Filler("F", seed=1, mtbf=900.0, mttr=60.0, micro_stop_mtbf=200.0),
                Machine("C", ideal_rate=210.0, seed=2, reject_rate=0.002),
                Checkweigher("W", ideal_rate=240.0, seed=3, micro_stop_mtbf=300.0)]
    line = Line("L1", machines, buffer_capacity=30)
    run(line, 3600, dt=0.5)
    totals = line.totals()
    assert totals["started"] == totals["finished"] + totals["rejected"] + totals["wip"]
    assert totals["finished"] == machines[-1].totals()["outfeed"]


def test_buffer_refuses_a_capacity_below_one():
    with pytest.raises(ValueError):
        Buffer(0)


# ---- scanners -------------------------------------------------------------------------------
def test_scanners_read_serials_in_flow_order():
    press = Press("P", ideal_rate=60.0)
    press.scanner = Scanner("serial")
    press.scanner.record()
    Line("Line2", [press], serial_prefix="L2-")
    run(press, 3)
    assert [code for code, read in press.scanner.true_codes] == ["L2-0000001", "L2-0000002", "L2-0000003"]
    assert press.values()["LastScan"] == "L2-0000003"
    assert press.values()["ScanCount"] == 3


def test_a_no_read_leaves_last_scan_empty_and_counts_a_no_read():
    labeler = Labeler("L", ideal_rate=60.0)
    labeler.scanner = Scanner("lot", noread_rate=1.0)
    run(labeler, 4)
    assert labeler.values()["LastScan"] == ""
    assert (labeler.values()["ScanCount"], labeler.values()["NoReadCount"]) == (0, 4)


def test_a_misread_returns_a_code_that_differs_from_the_true_one_in_its_last_character():
    labeler = Labeler("L", ideal_rate=60.0)
    labeler.scanner = Scanner("lot", misread_rate=1.0)
    labeler.scanner.record()
    Line("Line1", [labeler], lot="LOT-0042")
    run(labeler, 2)
    assert labeler.scanner.true_codes == [("LOT-0042", "LOT-004X"), ("LOT-0042", "LOT-004X")]
    assert labeler.totals()["misreads"] == 2


def test_case_packer_scans_one_label_per_case_of_twelve():
    packer = CasePacker("CP", ideal_rate=240.0)
    packer.scanner.noread_rate = 0.0
    run(packer, 60)
    assert packer.values()["ScanCount"] == 20


def test_scanner_refuses_an_unknown_code_kind():
    with pytest.raises(ValueError):
        Scanner("gtin")


# ---- gauges and scales ----------------------------------------------------------------------
def test_scale_zero_drifts_with_time_and_tare_removes_it():
    scale = Scale(520.0, 1.0, 8.0, drift_per_hour=0.5)
    scale.advance(2 * 3600.0)
    assert scale.centre() == 521.0
    scale.tare()
    assert scale.centre() == 520.0


def test_gauge_mean_shift_moves_the_measured_average():
    import random
    rng = random.Random(1)
    gauge = Gauge(10.0, 0.1, shift=0.3)
    values = [gauge.measure(rng)[0] for _ in range(2000)]
    assert abs(sum(values) / len(values) - 10.3) < 0.01


def test_gauge_trend_raises_the_centre_per_hour():
    gauge = Gauge(10.0, 0.1, trend_per_hour=0.2)
    gauge.advance(1800.0)
    assert gauge.centre() == pytest.approx(10.1)


def test_checkweigher_rejects_packs_outside_the_tolerance_of_the_target():
    weigher = Checkweigher("W", ideal_rate=60.0, seed=4)
    weigher.write("TargetWeight", 400.0)
    weigher.scale.shift = 120.0  # product weighs 520 g against a 400 g target
    run(weigher, 10)
    assert weigher.totals()["reject"] == 10
    assert weigher.values()["TargetWeight"] == 400.0


def test_filler_fill_target_write_moves_the_fill_volume():
    filler = Filler("F", ideal_rate=60.0, seed=2)
    filler.write("FillTarget", 330.0)
    run(filler, 5)
    assert abs(filler.values()["FillVolume"] - 330.0) < 5.0
    assert filler.totals()["reject"] == 0


def test_end_of_line_test_fails_parts_above_the_upper_limit():
    tester = EndOfLineTest("T", ideal_rate=60.0, seed=9)
    tester.gauge.shift = 1.0
    run(tester, 5)
    assert tester.values()["TestResult"] == 2
    assert tester.totals()["reject"] == 5


def test_vision_inspection_failures_are_rejected_with_result_two():
    camera = VisionInspection("V", ideal_rate=60.0, fail_rate=1.0)
    run(camera, 3)
    assert camera.values()["InspectionResult"] == 2
    assert camera.totals()["reject"] == 3


@pytest.mark.parametrize("type_id, kind", [("Filler", "Filler"), ("Line/Press", "Press"),
                                           ("Machine", "Machine"), ("Robot", "Machine")])
def test_machine_class_follows_the_last_part_of_the_type_id(type_id, kind):
    assert machine_class(type_id).kind == kind


def test_seeded_random_gives_the_pinned_splitmix64_sequence_on_every_host():
    from simulator.models import SeededRandom
    rng = SeededRandom(1009)
    assert [rng.random() for _ in range(3)] == [0.5722525312637008, 0.008804557257786172, 0.48042481947231264]
    rng.seed(1009)
    assert rng.random() == 0.5722525312637008
