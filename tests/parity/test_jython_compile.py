"""Everything that must run on a gateway compiles under real Jython 2.7: project/ and harness/core.

One JVM compiles every file (Python 2.7 syntax, source encodings), so a Python-3-only construct
or an undeclared non-ASCII character is caught here rather than on a plant's gateway.
"""
import glob
import subprocess

import pytest

from harness.environment import jython_command
from harness.pytest_plugin import skip_or_fail

COMMON_SUBSET = sorted(glob.glob("project/**/*.py", recursive=True) + glob.glob("harness/core/**/*.py", recursive=True)
                       + glob.glob("harness/scenarios/*.py") + glob.glob("tests/scenarios/*.py"))

COMPILER = """
import sys
failures = []
for path in sys.argv[1:]:
    try:
        compile(open(path).read(), path, 'exec')
    except SyntaxError as error:
        failures.append('%s:%s: %s' % (path, error.lineno, error.msg))
print('\\n'.join(failures))
"""


@pytest.mark.jython
def test_gateway_code_compiles_under_jython_2_7():
    command = jython_command()
    if command is None:
        skip_or_fail("real Jython 2.7 is not installed")
    result = subprocess.run(command + ["-c", COMPILER] + COMMON_SUBSET, capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip() == "", "these files do not compile under Jython 2.7:\n" + result.stdout
