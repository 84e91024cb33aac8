"""Benchmark: OEE recording and live refresh on the demonstration plant (20 machines, 2 lines).

Measured in one run on the project gateway with SQLite:
- counter events: an OutfeedCount change through the tag-change script into the count interval
  (one DB transaction each), against the baseline of the same change on a machine that is not
  configured for OEE (the script only looks the machine up) - ratio_counter_vs_unconfigured;
- refresh: one timer tick over the whole plant (state catch-up, KPIs and live tags of every
  machine and both lines), in ms per tick and per machine.
Target: a tick of the whole plant well under its 10 s period (tick_ms <= 1000).

    python tests/benchmarks/bench_oee.py [--quick]
"""
import argparse
import json
import os
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, ROOT)

from harness import Gateway  # noqa: E402


def build(configure):
    os.chdir(ROOT)
    work = tempfile.mkdtemp(prefix="genba-bench-oee-")
    gw = Gateway(project="project", start="2026-01-05T06:00:00",
                 databases={"genba": "sqlite:///" + os.path.join(work, "genba.db")},
                 default_database="genba")
    with open(os.path.join(ROOT, "tests", "scenarios", "oee_plant.json")) as handle:
        plant = json.load(handle)
    if configure:
        gw.call("mes.oeeconfig.configure", plant)
        for m in plant["machines"]:
            gw.update("[default]" + m["source_path"] + "/State", 1)
    return gw, plant


def counter_events(gw, plant, count):
    paths = ["[default]" + m["source_path"] + "/OutfeedCount" for m in plant["machines"]]
    start = time.perf_counter()
    for i in range(count):
        gw.update(paths[i % len(paths)], 1 + i // len(paths))
    return time.perf_counter() - start


def ticks(gw, count):
    start = time.perf_counter()
    for _ in range(count):
        gw.call("mes.oeeevents.on_timer")
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smaller workload (< 1 minute)")
    args = parser.parse_args()
    events = 380 if args.quick else 1900
    tick_count = 5 if args.quick else 30
    bare, plant = build(configure=False)
    t_bare = counter_events(bare, plant, events)
    bare.shutdown()
    gw, plant = build(configure=True)
    t_oee = counter_events(gw, plant, events)
    gw.clock.advance(600)
    t_ticks = ticks(gw, tick_count)
    errors = len(gw.errors)
    gw.shutdown()
    machines = len(plant["machines"])
    figures = {
        "bench": "oee",
        "counter_events_per_s": round(events / t_oee, 1),
        "unconfigured_events_per_s": round(events / t_bare, 1),
        "ratio_counter_vs_unconfigured": round(t_oee / t_bare, 2),
        "tick_ms": round(1000.0 * t_ticks / tick_count, 1),
        "tick_ms_per_machine": round(1000.0 * t_ticks / tick_count / machines, 2),
        "script_errors": errors,
        "target": "tick_ms <= 1000",
    }
    print("%-34s %12s" % ("figure", "value"))
    for key in ("counter_events_per_s", "unconfigured_events_per_s", "ratio_counter_vs_unconfigured",
                "tick_ms", "tick_ms_per_machine", "script_errors"):
        print("%-34s %12s" % (key, figures[key]))
    print(json.dumps(figures, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
