"""Hypothesis profiles of the reliability suite and the count of fuzzed cases per area.

`ci` (chosen when CI=true) is derandomized so a failure reproduces from the same run; `dev` is
random. Neither keeps an example database: the suite's figures come from one run.
"""
import json
import os

import pytest
from hypothesis import HealthCheck, settings

from reliability_plant import CASES, Plant

_COMMON = dict(deadline=None, database=None, print_blob=True,
               suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                      HealthCheck.filter_too_much])
settings.register_profile("ci", derandomize=True, **_COMMON)
settings.register_profile("dev", **_COMMON)
settings.load_profile(os.environ.get("GENBA_HYPOTHESIS_PROFILE",
                                     "ci" if os.environ.get("CI") == "true" else "dev"))


@pytest.fixture(scope="module")
def plant(tmp_path_factory):
    """One arranged plant per test module (the fuzz cases run against its growing state)."""
    built = Plant(tmp_path_factory.mktemp("plant"))
    yield built
    built.close()


def pytest_terminal_summary(terminalreporter):
    if not CASES:
        return
    total = sum(CASES.values())
    terminalreporter.write_line("fuzzed cases: %d (%s)" % (
        total, ", ".join("%s %d" % (k, CASES[k]) for k in sorted(CASES))))
    target = os.environ.get("GENBA_FUZZ_REPORT")
    if target:
        with open(target, "w") as handle:
            json.dump({"total": total, "by_area": dict(CASES)}, handle, indent=1, sort_keys=True)
