"""Starts the parity runs in the background as soon as the parity tests are collected."""
import parity_runs


def pytest_collection_finish(session):
    if any(item.nodeid.startswith("tests/parity/test_parity.py::test_scenario") for item in session.items):
        parity_runs.start("jython")
        parity_runs.start("cpython")
