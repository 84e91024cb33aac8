"""pytest plugin: gateway fixtures for testing an Ignition project with the Genba harness.

Fixtures: `gateway` (the project under test on a virtual clock, a fresh SQLite database per test,
shut down afterwards; the test fails if a script raised), `make_gateway` (a factory for other
projects, clocks or databases), `clock` and `tags` of the `gateway`.
Settings (ini key / flag): `genba_project` / `--genba-project` (default "project").
Markers: `jython`, `postgres`, `opcua`, `browser` — tests that need those components; without them
they skip locally, but fail under CI=true, where everything must run.
"""
from __future__ import annotations

import os

import pytest

from .core.gateway import Gateway
from .environment import running_in_ci

MARKERS = {
    "jython": "needs real Jython 2.7 (java + /usr/share/java jars); skips locally, required under CI=true",
    "postgres": "needs a PostgreSQL server (started by the test fixtures); required under CI=true",
    "opcua": "uses real OPC UA sockets on 127.0.0.1",
    "browser": "drives headless Chromium; required under CI=true",
    "allow_script_errors": "the test expects gateway scripts to raise; do not fail on them",
}


def pytest_addoption(parser):
    help_text = "the Ignition project folder the gateway fixture loads (default: project)"
    parser.addini("genba_project", help_text, default="project")
    parser.addoption("--genba-project", default=None, help=help_text)


def pytest_configure(config):
    for name, text in MARKERS.items():
        config.addinivalue_line("markers", "%s: %s" % (name, text))


def skip_or_fail(reason):
    """Skip a test whose component is missing, but fail it under CI=true where it must run."""
    if running_in_ci():
        pytest.fail("required under CI=true: " + reason)
    pytest.skip(reason)


def _project_dir(config):
    return config.getoption("--genba-project") or config.getini("genba_project")


@pytest.fixture
def make_gateway(request, tmp_path):
    """Factory: `make_gateway(project=…, clock="virtual", start=…, databases=…)` → Gateway."""
    created = []

    def factory(project=None, clock="virtual", start=None, databases=None, **options):
        if databases is None:
            databases = {"genba": "sqlite:///%s" % (tmp_path / ("genba-%d.db" % len(created)))}
            options.setdefault("default_database", "genba")
        gateway = Gateway(project=project or _project_dir(request.config), clock=clock, start=start,
                          databases=databases, **options)
        created.append(gateway)
        return gateway

    yield factory
    errors = []
    for gateway in created:
        gateway.shutdown()
        errors.extend(gateway.errors)
    if errors and request.node.get_closest_marker("allow_script_errors") is None:
        pytest.fail("gateway scripts raised:\n" + "\n".join(e.trace for e in errors), pytrace=False)


@pytest.fixture
def gateway(make_gateway):
    """The project under test, started on a virtual clock with a fresh SQLite database."""
    return make_gateway()


@pytest.fixture
def clock(gateway):
    return gateway.clock


@pytest.fixture
def tags(gateway):
    return gateway.tags
