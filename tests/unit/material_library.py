"""The `mes` project library loaded without a gateway, for tests of pure material rules."""
from __future__ import annotations

import os

from harness.core.library import ScriptLibrary
from harness.core.system.namespace import Namespace

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def load_mes():
    library = ScriptLibrary(os.path.join(ROOT, "project", "scripts"), {"system": Namespace("system")})
    return library.packages["mes"]
