"""Twenty minutes of the simulated plant in direct mode on the gateway clock: counts land in the tags.

The plant of the project's tag model (realistic profile: faults, micro-stops, speed losses,
rejects, scanners) steps every 0.5 s of virtual time and pushes its changes into the gateway's
OPC tags. The result — ground-truth totals per machine and the counter tags read through the
gateway — must be identical on CPython and Jython (same seeds, same arithmetic).
"""
from __future__ import absolute_import, division, print_function

from simulator.direct import DirectDriver
from simulator.plant import load_plant

PROJECT = "project"
START = "2026-01-05T06:00:00"


def run(gw):
    plant = load_plant(PROJECT, seed=7, profile="realistic")
    driver = DirectDriver(plant, gw.tags, gw.clock, period=0.5).attach(gw.tags).start()
    gw.clock.advance(600)
    gw.write("[default]Genba/Plant1/Packaging/Line1/Capper/Permissive", False)
    gw.clock.advance(120)
    gw.write("[default]Genba/Plant1/Packaging/Line1/Capper/Permissive", True)
    gw.clock.advance(480)
    driver.stop()
    machines = {}
    for path in sorted(plant.machines):
        totals = plant.machines[path].totals()
        # steps are 0.5 s, so state times are exact multiples of 0.5 (no round(): it differs on Jython)
        half_seconds = dict((state, int(s * 2)) for state, s in totals.pop("seconds").items())
        counted = gw.read(path + "/OutfeedCount").value
        machines[path.rsplit("/", 2)[-2] + "/" + path.rsplit("/", 1)[-1]] = {
            "infeed": totals["infeed"], "outfeed": totals["outfeed"], "reject": totals["reject"],
            "scans": totals.get("scans"), "no_reads": totals.get("no_reads"),
            "half_seconds": half_seconds, "outfeed_tag": counted, "state_tag": gw.read(path + "/State").value,
        }
    return {"machines": machines, "updates": driver.updates,
            "last_scan": gw.read("[default]Genba/Plant1/Assembly/Line2/Pack/LastScan").value}
