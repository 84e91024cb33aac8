"""The architecture's boundaries hold: checked with import-linter contracts and a source scan."""
import os
import re
import shutil
import subprocess
import sys

import pytest

PROJECT_CODE = [os.path.join(root, name) for root, _, names in os.walk("project") for name in names
                if name.endswith(".py")]


def test_import_contracts_hold():
    lint = shutil.which("lint-imports", path=os.path.dirname(sys.executable)) or shutil.which("lint-imports")
    if lint is None:
        pytest.skip("import-linter is not installed (pip install -e '.[dev]')")
    result = subprocess.run([lint], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("path", PROJECT_CODE)
def test_project_scripts_import_nothing_from_the_harness_or_simulator(path):
    with open(path, encoding="utf-8") as handle:
        source = handle.read()
    assert not re.search(r"^\s*(from|import)\s+(harness|simulator)\b", source, re.M)
    assert not re.search(r"^\s*import\s+system\b", source, re.M), "system is implicit on a gateway"
