"""Scenario runner: run scenario modules against fresh gateways and print their results as JSON.

A scenario is a Python file (common subset) defining `run(gw)` that drives a gateway and returns a
JSON-able result; it may set `PROJECT` (project folder, relative to the working directory) and
`START` (virtual start time). The same files run under CPython and real Jython, one process for
many scenarios, and the JSON documents must be identical (the parity tests compare them):

    python -m harness.core.scenario tests/scenarios/counter_rollover.py ...
"""
from __future__ import absolute_import, division, print_function

import datetime
import io
import json
import os
import shutil
import sys
import tempfile
import traceback

from .compat import JavaThrowable, text_type
from .gateway import Gateway

__all__ = ["load_scenario", "main", "normalise", "run_scenario", "run_scenarios"]


def load_scenario(path):
    """The namespace of a scenario file (its `run`, `PROJECT`, `START`)."""
    namespace = {"__file__": path, "__name__": "scenario_" + os.path.basename(path)[:-3]}
    with io.open(path, encoding="utf-8") as handle:
        exec(compile(handle.read(), path, "exec"), namespace)
    if not callable(namespace.get("run")):
        raise ValueError("scenario %s defines no run(gw)" % (path,))
    return namespace


def normalise(value):
    """A result made host-independent: text for strings, ISO text for datetimes, sorted keys."""
    if isinstance(value, dict):
        return dict((text_type(k), normalise(v)) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return [normalise(v) for v in value]
    if isinstance(value, datetime.datetime):
        return text_type(value.strftime("%Y-%m-%dT%H:%M:%S.") + "%03d" % (value.microsecond // 1000))
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if value is None or isinstance(value, (bool, float, text_type)) or isinstance(value, int):
        return value
    if type(value).__name__ == "long":
        return int(value)
    return text_type(value)


def run_scenario(path, database_dir=None):
    """Run one scenario on a new gateway; the normalised result, or {"error": ...} if it raised."""
    namespace = load_scenario(path)
    project = namespace.get("PROJECT", "project")
    workdir = database_dir or tempfile.mkdtemp(prefix="genba-scenario-")
    databases = {"genba": "sqlite:///" + os.path.join(workdir, "genba.db").replace(os.sep, "/")}
    gateway = None
    try:
        gateway = Gateway(project=project, clock="virtual", start=namespace.get("START"),
                          databases=databases, default_database="genba")
        result = namespace["run"](gateway)
        if gateway.errors:
            result = {"result": result, "script_errors": [repr(e) for e in gateway.errors]}
        return normalise(result)
    except (Exception, JavaThrowable) as error:
        return {"error": "%s: %s" % (type(error).__name__, error),
                "trace": traceback.format_exc().splitlines()[-6:]}
    finally:
        if gateway is not None:
            gateway.shutdown()
        if database_dir is None:
            shutil.rmtree(workdir, ignore_errors=True)


def run_scenarios(paths):
    """{scenario file name: result} for every path, in order."""
    results = {}
    for path in paths:
        results[os.path.basename(path)] = run_scenario(path)
    return results


def _host():
    return "jython" if sys.platform.startswith("java") else "cpython"


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv:
        print("usage: python -m harness.core.scenario SCENARIO.py [SCENARIO.py ...]")
        return 2
    document = {"host": _host(), "results": run_scenarios(argv)}
    sys.stdout.write(json.dumps(document, sort_keys=True, indent=1, separators=(",", ": ")) + "\n")
    failed = [name for name, result in document["results"].items()
              if isinstance(result, dict) and ("error" in result or "script_errors" in result)]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
