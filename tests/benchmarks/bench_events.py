"""Benchmark: tag write -> valueChanged script -> tag write, through the harness event machinery.

Baseline, measured in the same run: the same script body compiled as a plain function and called
directly in a loop (it still writes its output tag). The ratio is the harness's overhead for
delivering a tag event: the write, coercion, change detection, the bounded per-tag queue and the
dispatch. Target: ratio_vs_direct <= 5.

    python tests/benchmarks/bench_events.py [--quick]
"""
import argparse
import json
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))

from harness import Gateway, QualifiedValue  # noqa: E402

BODY = "\tsystem.tag.writeBlocking(['[.]Out'], [currentValue.value * 2])\n"


def build_gateway():
    project = tempfile.mkdtemp(prefix="genba-bench-")
    gateway = Gateway(project=project)
    gateway.system.tag.configure("[default]Bench", [
        {"name": "Out", "tagType": "AtomicTag", "dataType": "Int8"},
        {"name": "In", "tagType": "AtomicTag", "dataType": "Int8",
         "eventScripts": [{"eventid": "valueChanged", "script": BODY}]},
    ])
    gateway.settle()
    return gateway


def through_events(gateway, count):
    write = gateway.write
    start = time.perf_counter()
    for value in range(1, count + 1):
        write("[default]Bench/In", value)
    elapsed = time.perf_counter() - start
    assert gateway.read("[default]Bench/Out").value == 2 * count
    return elapsed


def direct(gateway, count):
    namespace = dict(gateway.shared_globals)
    exec("def body(tag, tagPath, previousValue, currentValue, initialChange, missedEvents):\n" + BODY,
         namespace)
    body = namespace["body"]
    gateway.tags._base_stack.append(gateway.tags.parse("[default]Bench"))
    start = time.perf_counter()
    for value in range(1, count + 1):
        body(None, "[default]Bench/In", None, QualifiedValue(value), False, False)
    elapsed = time.perf_counter() - start
    gateway.tags._base_stack.pop()
    assert gateway.read("[default]Bench/Out").value == 2 * count
    return elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smaller workload (well under a minute)")
    args = parser.parse_args()
    count = 20000 if args.quick else 200000
    gateway = build_gateway()
    rounds = []
    for _ in range(3):
        rounds.append((through_events(gateway, count), direct(gateway, count)))
    harness_s = min(r[0] for r in rounds)
    direct_s = min(r[1] for r in rounds)
    ratio = harness_s / direct_s
    print("%-34s %12s %14s" % ("path", "events/s", "us per event"))
    print("%-34s %12.0f %14.2f" % ("write -> event -> write (harness)", count / harness_s, 1e6 * harness_s / count))
    print("%-34s %12.0f %14.2f" % ("script body called directly", count / direct_s, 1e6 * direct_s / count))
    print("ratio harness/direct: %.2f (best of 3 rounds, %d events each)" % (ratio, count))
    print(json.dumps({"bench": "events", "ratio_vs_direct": round(ratio, 2),
                      "events_per_s": int(count / harness_s), "target": "ratio_vs_direct <= 5"}))


if __name__ == "__main__":
    main()
