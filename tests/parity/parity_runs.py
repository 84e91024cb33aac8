"""The parity scenarios and their runs on both hosts, started as soon as pytest has collected.

The Jython run is the longest single piece of the suite (one JVM running every scenario), so it
starts in the background when collection ends and overlaps the rest of the tests; the parity tests
then wait for its document.
"""
import glob
import os

from harness.environment import jython_command
from harness.hosts import start_on_host

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCENARIOS = sorted(glob.glob(os.path.join(ROOT, "harness", "scenarios", "[!_]*.py"))
                   + glob.glob(os.path.join(ROOT, "tests", "scenarios", "[!_]*.py")), key=os.path.basename)
RUNS = {}


def start(host):
    """Start the host's run once (None when the host is not installed)."""
    if host not in RUNS:
        RUNS[host] = None if host == "jython" and jython_command() is None else start_on_host(host, SCENARIOS, cwd=ROOT)
    return RUNS[host]
