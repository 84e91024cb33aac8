"""Loads `mes` library modules from project/scripts for host-free tests, wired as on a gateway.

On a gateway every project-library module sees the library root `mes` as a global; this gives
the modules loaded here the same global so `mes.spc.imr(...)` resolves without a harness.
"""
from __future__ import absolute_import, division, print_function

import importlib
import os
import sys

SCRIPTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "project", "scripts")
if SCRIPTS not in sys.path:
    sys.path.insert(0, os.path.normpath(SCRIPTS))


def load(*names):
    """Import mes.<name> for each name, give each the `mes` global, return them as a tuple."""
    root = importlib.import_module("mes")
    modules = tuple(importlib.import_module("mes." + name) for name in names)
    for module in modules:
        module.mes = root
    return modules
