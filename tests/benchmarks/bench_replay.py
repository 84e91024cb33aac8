"""Replay speed: the whole plant model (20 machines at ~200 parts/min) for a shift through the
whole pipeline (simulator -> OPC tags -> OEE tag events -> database), as a multiple of real time.

    python tests/benchmarks/bench_replay.py [--quick] [--hours H] [--no-jython]

Full: 8 virtual hours on CPython and on Jython; --quick: 6 virtual minutes each. The time is the
replay's, from the started gateway to the summary (JVM start and project load not included). Prints a table
and ends with one JSON line (`x_realtime_cpython`, `x_realtime_jython`; targets >=1000 and >=100).
`x_cpu_*` divide by the CPU seconds of the process instead (the machine is shared: wall time
grows with the load; on Jython the JVM's JIT and GC threads are included).

Every machine runs at an ideal rate of RATE parts/min with the realistic losses, major faults and
micro-stops made rarer (OVERRIDES), so the plant makes about 200 parts/min per machine
(~1.9M machine-parts in 8 hours); the OEE configuration is the demo's with the same ideal rate.
`stored_outfeed` (the PQ the database holds, from mes.oeelive) must equal `plant_outfeed` (the
simulator's truth).
"""
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, ROOT)

from harness.environment import jython_command  # noqa: E402
from harness.replay import quiet_gateway_log, run_replay  # noqa: E402

RATE = 242.0
OVERRIDES = {"*": {"ideal_rate": RATE, "mtbf": 14400.0, "micro_stop_mtbf": 1800.0}}
SCENARIO = {
    "name": "bench-replay", "start": "2026-01-05T06:00:00", "project": os.path.join(ROOT, "project"),
    "timers": {"oee-refresh": 300000}, "oee_config": "oee.json",
    "plant": {"seed": 3, "profile": "realistic", "period": 60, "overrides": OVERRIDES}, "events": []}


def oee_config():
    with open(os.path.join(ROOT, "harness", "replays", "plant_oee.json")) as handle:
        config = json.load(handle)
    for machine in config["machines"]:
        machine["rates"] = [{"product": "*", "operation": "*", "rate_per_min": RATE}]
    return config


def stored_outfeed(summary):
    return sum(m["total"] for m in summary["machines"].values())


def main(argv):
    quick = "--quick" in argv
    hours = float(argv[argv.index("--hours") + 1]) if "--hours" in argv else (0.1 if quick else 8.0)
    folder = tempfile.mkdtemp(prefix="genba-bench-replay-")
    path = os.path.join(folder, "bench.json")
    with open(path, "w") as handle:
        json.dump(dict(SCENARIO, hours=hours), handle)
    with open(os.path.join(folder, "oee.json"), "w") as handle:
        json.dump(oee_config(), handle)
    quiet_gateway_log()
    timing = {}
    summary = run_replay(path, timing=timing)
    cpython_s = timing["play_s"]
    figures = {"virtual_hours": hours, "parts": summary["plant_parts"], "machines": len(summary["machines"]),
               "parts_per_machine_min": round(summary["plant_parts"] / len(summary["machines"]) / (hours * 60), 1),
               "plant_outfeed": summary["plant_outfeed"], "stored_outfeed": stored_outfeed(summary),
               "cpython_s": round(cpython_s, 2), "x_realtime_cpython": round(hours * 3600 / cpython_s, 1),
               "cpython_cpu_s": round(timing["play_cpu_s"], 2),
               "x_cpu_cpython": round(hours * 3600 / timing["play_cpu_s"], 1)}
    command = jython_command()
    if command is not None and "--no-jython" not in argv:
        env = dict(os.environ, JYTHONPATH=ROOT, PYTHONPATH=ROOT)
        done = subprocess.run(command + ["-m", "harness.replay", path, "--time"], env=env, cwd=ROOT,
                              capture_output=True, text=True)
        if done.returncode == 0:
            jython_s = float([line for line in done.stderr.splitlines() if line.startswith("play_s ")][-1].split()[1])
            jython_cpu_s = float([line for line in done.stderr.splitlines()
                                  if line.startswith("play_cpu_s ")][-1].split()[1])
            figures["jython_cpu_s"] = round(jython_cpu_s, 2)
            figures["x_cpu_jython"] = round(hours * 3600 / jython_cpu_s, 1)
            figures["jython_s"] = round(jython_s, 2)
            figures["x_realtime_jython"] = round(hours * 3600 / jython_s, 1)
            jython = json.loads(done.stdout)
            figures["same_parts_on_jython"] = jython["plant_parts"] == summary["plant_parts"]
            figures["stored_outfeed_jython"] = stored_outfeed(jython)
        else:
            figures["jython_error"] = done.stderr[-500:]
    print("%-22s %s" % ("figure", "value"))
    for name in sorted(figures):
        print("%-22s %s" % (name, figures[name]))
    print(json.dumps(figures, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
