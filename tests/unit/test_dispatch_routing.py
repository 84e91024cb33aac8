"""mes.routing: stages, what blocks an operation, what is skipped, and routing validation."""
import pytest

from harness.core.library import ScriptLibrary
from harness.core.system.namespace import Namespace

from dispatch_host import Host
from dispatch_plant import build


@pytest.fixture(scope="module")
def routing():
    return ScriptLibrary("project/scripts", {"system": Namespace("system")}).resolve("mes.routing")


def _ops(*specs):
    """(op_seq, group, optional, status) tuples as operation dicts."""
    return [{"op_seq": s, "parallel_group": g, "optional": o, "status": st} for s, g, o, st in specs]


def test_consecutive_operations_of_one_parallel_group_share_a_stage(routing):
    ops = _ops((10, None, False, "released"), (20, "A", False, "released"),
               (30, "A", False, "released"), (40, None, False, "released"),
               (50, "B", False, "released"), (60, "B", False, "released"))
    assert routing.stages(ops) == {10: 0, 20: 1, 30: 1, 40: 2, 50: 3, 60: 3}


@pytest.mark.parametrize("statuses, op_seq, blocking", [
    (("released", "released", "released"), 10, []),
    (("released", "released", "released"), 20, [10]),
    (("in_progress", "released", "released"), 30, [10, 20]),
    (("complete", "released", "released"), 20, []),
    (("complete", "in_progress", "released"), 30, [20]),
    (("complete", "paused", "released"), 30, [20]),
    (("complete", "held", "released"), 30, [20]),
    (("complete", "complete", "released"), 30, []),
    (("skipped", "complete", "released"), 30, []),
    (("closed", "closed", "released"), 30, []),
])
def test_an_operation_waits_for_every_earlier_operation(routing, statuses, op_seq, blocking):
    ops = _ops((10, None, False, statuses[0]), (20, None, False, statuses[1]),
               (30, None, False, statuses[2]))
    assert routing.blocking(ops, op_seq) == blocking


@pytest.mark.parametrize("optional_status, blocking, skippable", [
    ("released", [], [20]),          # never started: does not block, is skipped
    ("in_progress", [20], []),       # started: blocks until done
    ("paused", [20], []),
    ("complete", [], []),
    ("skipped", [], []),
])
def test_an_optional_operation_blocks_only_once_started(routing, optional_status, blocking,
                                                        skippable):
    ops = _ops((10, None, False, "complete"), (20, None, True, optional_status),
               (30, None, False, "released"))
    assert routing.blocking(ops, 30) == blocking
    assert routing.skippable(ops, 30) == skippable


def test_parallel_operations_do_not_wait_for_each_other(routing):
    ops = _ops((10, None, False, "complete"), (20, "A", False, "in_progress"),
               (30, "A", False, "released"), (40, None, False, "released"))
    assert (routing.blocking(ops, 30), routing.blocking(ops, 40)) == ([], [20, 30])


@pytest.fixture
def host(tmp_path):
    host = Host(str(tmp_path / "genba.db"))
    build(host.mes)
    yield host
    host.close()


@pytest.mark.parametrize("ops, message", [
    ([], "A routing needs at least one operation."),
    ([{"op_seq": 0, "work_center_id": "L2-PRESS"}], "An op_seq must be a positive integer, got 0."),
    ([{"op_seq": "10", "work_center_id": "L2-PRESS"}],
     "An op_seq must be a positive integer, got '10'."),
    ([{"op_seq": 10, "work_center_id": "L2-PRESS"}, {"op_seq": 10, "work_center_id": "L2-PACK"}],
     "Operation 10 appears twice in the routing."),
    ([{"op_seq": 10, "work_center_id": "L2-PRESS", "setup_minutes": -5}],
     "Operation 10: setup_minutes must not be negative, got -5."),
    ([{"op_seq": 10, "work_center_id": "L2-PRESS", "parallel_group": "A"},
      {"op_seq": 20, "work_center_id": "L2-PACK"},
      {"op_seq": 30, "work_center_id": "L2-PRESS", "parallel_group": "A"}],
     "Parallel group 'A' must be consecutive operations; op 30 is apart."),
])
def test_a_bad_routing_is_refused_and_the_old_one_kept(host, ops, message):
    before = host.snapshot()
    with pytest.raises(host.mes.errors.InvalidInput) as raised:
        host.mes.routing.define("eve", "PUMP-100", "B", ops)
    assert str(raised.value) == message
    assert host.snapshot() == before


def test_a_routing_at_an_unknown_work_center_is_refused(host):
    before = host.snapshot()
    with pytest.raises(host.mes.workcenter.UnknownWorkCenter, match="'L9-NOWHERE'"):
        host.mes.routing.define("eve", "PUMP-100", "B", [{"op_seq": 10,
                                                          "work_center_id": "L9-NOWHERE"}])
    assert host.snapshot() == before


def test_only_an_engineer_defines_routings(host):
    with pytest.raises(host.mes.security.MissingRole):
        host.mes.routing.define("lee", "PUMP-100", "B", [{"op_seq": 10,
                                                          "work_center_id": "L2-PRESS"}])
