"""Shared test settings: the repository root is the working directory of every test."""
import os

import pytest

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HARNESS_PROJECT = os.path.join(REPO_ROOT, "tests", "cases", "harness_project")


@pytest.fixture(autouse=True)
def _run_from_repo_root(monkeypatch):
    monkeypatch.chdir(REPO_ROOT)


@pytest.fixture
def fixture_gateway(make_gateway):
    """A gateway on tests/cases/harness_project, the project that pins gateway behaviour."""
    return make_gateway(project=HARNESS_PROJECT)
