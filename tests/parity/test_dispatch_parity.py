"""The dispatch rules that need no database give identical results on CPython and real Jython:
PBKDF2 (pure Python on Jython, where hashlib has no pbkdf2_hmac), the audit trail's canonical JSON
and row hash, the routing stage rule, measurement formatting and timestamps."""
import json
import os
import subprocess
import sys

import pytest

from harness.environment import jython_command
from harness.pytest_plugin import skip_or_fail

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPT = os.path.join(ROOT, "tests", "cases", "dispatch", "pure_rules.py")


def _run(command):
    env = dict(os.environ, PYTHONPATH=ROOT, JYTHONPATH=ROOT)
    done = subprocess.run(command + [SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_pure_rules_give_the_rfc_vector_and_the_routing_stages_on_cpython():
    result = _run([sys.executable])
    assert result["pbkdf2"] == ("55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
                                "49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783")
    assert result["blocking"] == [[], [], [], [20, 30], [20, 30]]
    assert result["skippable"] == [40]


@pytest.mark.jython
def test_the_pure_rules_are_identical_on_jython():
    command = jython_command()
    if command is None:
        skip_or_fail("real Jython 2.7 is not installed")
    assert _run(command) == _run([sys.executable])
