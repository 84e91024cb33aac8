"""The db checks give identical results on CPython and real Jython, and on SQLite and PostgreSQL."""
import json
import os
import subprocess
import sys

import pytest

from harness.environment import jython_command
from harness.pytest_db import postgres_server, require_or_skip  # noqa: F401  (fixture)

CHECKS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "db_checks.py")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def start_checks(command, out, urls):
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # let Jython cache its compiled modules for the next run
    return subprocess.Popen(command + [CHECKS, str(out)] + urls, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, universal_newlines=True)


def finish_checks(process, out):
    stdout, stderr = process.communicate(timeout=600)
    if process.returncode != 0 or not os.path.exists(str(out)):
        raise AssertionError("db checks failed on %s:\n%s\n%s" % (process.args[0], stdout[-3000:], stderr[-3000:]))
    with open(str(out)) as handle:
        return json.load(handle)["results"]


@pytest.fixture(scope="module")
def postgres_available(request):
    try:
        return request.getfixturevalue("postgres_server")
    except pytest.skip.Exception:
        return None


@pytest.fixture(scope="module")
def results(tmp_path_factory, postgres_available):
    """{"cpython": ..., "jython": ... or None}: both hosts run at the same time."""
    runs = {}
    hosts = [("cpython", [sys.executable])]
    command = jython_command()
    if command is not None:
        hosts.append(("jython", command))
    for host, argv in hosts:
        tmp = tmp_path_factory.mktemp(host)
        urls = ["sqlite:///" + str(tmp / "checks.db")]
        if postgres_available is not None:
            urls.append(postgres_available.create_database())
        runs[host] = (start_checks(argv, tmp / "out.json", urls), tmp / "out.json")
    return dict((host, finish_checks(*runs[host])) for host in runs)


@pytest.fixture(scope="module")
def cpython_results(results):
    return results["cpython"]


@pytest.fixture(scope="module")
def jython_results(results):
    if "jython" not in results:
        require_or_skip("real Jython needs java and /usr/share/java/{jython,sqlite-jdbc,postgresql}.jar")
    return results["jython"]


def assert_same(left, right):
    assert sorted(left) == sorted(right)
    different = [name for name in sorted(left) if left[name] != right[name]]
    assert different == [], "checks differing: %s\n%s" % (
        different, "\n".join("%s:\n  %s\n  %s" % (n, json.dumps(left[n])[:800], json.dumps(right[n])[:800])
                             for n in different))


def test_every_check_runs_without_error_and_gives_the_expected_values(cpython_results):
    sqlite = cpython_results["sqlite"]
    assert [name for name in sorted(sqlite) if isinstance(sqlite[name], dict) and "error" in sqlite[name]] == []
    assert sqlite["types"]["rows"][0] == [{"text": u"L\u00e9-\u6f22-\U0001F600"}, {"int": str(2 ** 40)},
                                          {"float": "12.5"}, {"bool": True},
                                          {"datetime": "2026-01-05T06:30:15.123456"}, None]
    assert sqlite["aggregates"] == [{"int": "5"}, {"int": "2"}, {"float": "2.5"}, {"float": "3.75"},
                                    {"datetime": "2026-01-05T07:00:00"}, {"text": "A"}]
    assert sqlite["text_is_unicode"] == [True, True, True, True]
    queued, rows = sqlite["store_forward"]
    assert [int(q["int"]) for q in queued] == [0] * 5 + list(range(1, 21)) + [0] * 5
    assert [r[0]["text"] for r in rows["rows"]] == ["r%03d" % i for i in range(30)]


@pytest.mark.jython
def test_db_checks_match_on_cpython_and_jython_with_sqlite(cpython_results, jython_results):
    assert_same(cpython_results["sqlite"], jython_results["sqlite"])


@pytest.mark.postgres
def test_db_checks_match_on_sqlite_and_postgresql(cpython_results):
    if "postgresql" not in cpython_results:
        require_or_skip("PostgreSQL is not available")
    assert_same(cpython_results["sqlite"], cpython_results["postgresql"])


@pytest.mark.postgres
@pytest.mark.jython
def test_db_checks_match_on_cpython_and_jython_with_postgresql(cpython_results, jython_results):
    if "postgresql" not in cpython_results:
        require_or_skip("PostgreSQL is not available")
    assert_same(cpython_results["postgresql"], jython_results["postgresql"])
