"""Run scenario files on a host interpreter: CPython (this one) or real Jython 2.7 in one JVM."""
from __future__ import annotations

import json
import os
import subprocess
import sys

from .environment import jython_command

__all__ = ["HostRun", "HostUnavailable", "run_on_host", "start_on_host"]

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class HostUnavailable(RuntimeError):
    """The requested interpreter is not installed here (the message says what is missing)."""


def _command(host):
    if host == "cpython":
        return [sys.executable]
    if host == "jython":
        command = jython_command()
        if command is None:
            raise HostUnavailable("Jython needs java and /usr/share/java/{jython,sqlite-jdbc,postgresql}.jar "
                                  "(Debian: apt-get install jython libxerial-sqlite-jdbc-java "
                                  "libpostgresql-jdbc-java)")
        return command
    raise HostUnavailable("unknown host %r (expected cpython or jython)" % host)


class HostRun(object):
    """A scenario run started in the background on a host; `result()` waits for its document."""

    def __init__(self, host, process):
        self.host = host
        self.process = process

    def result(self, timeout=1800):
        stdout, stderr = self.process.communicate(timeout=timeout)
        try:
            return json.loads(stdout)
        except ValueError:
            raise RuntimeError("%s scenario run printed no JSON (exit %s):\n%s\n%s"
                               % (self.host, self.process.returncode, stdout[-2000:], stderr[-4000:]))


def start_on_host(host, scenario_paths, cwd=None):
    """Start `python -m harness.core.scenario` on `host` for the scenarios, without waiting."""
    cwd = cwd or os.getcwd()
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (REPO_ROOT, env.get("PYTHONPATH")) if p)
    env["JYTHONPATH"] = REPO_ROOT
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # let Jython keep its $py.class files between runs
    argv = _command(host) + ["-m", "harness.core.scenario"] + [os.path.abspath(p) for p in scenario_paths]
    process = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    return HostRun(host, process)


def run_on_host(host, scenario_paths, cwd=None, timeout=1800):
    """The JSON document of `python -m harness.core.scenario` run on `host` for the scenarios."""
    return start_on_host(host, scenario_paths, cwd).result(timeout)
