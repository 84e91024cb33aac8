"""No SQL under project/ is built by string formatting (project/db/README.md)."""
import textwrap

import pytest

from harness.sqlscan import scan_project, scan_source


def findings(source):
    return [(f.line, f.function, f.how) for f in scan_source(textwrap.dedent(source), "mod.py")]


def test_no_project_script_builds_sql_by_string_formatting():
    bad = scan_project("project")
    assert bad == [], "SQL built by string formatting (use ? placeholders and args):\n" + "\n".join(map(str, bad))


@pytest.mark.parametrize("source, how", [
    ("system.db.runQuery('SELECT * FROM lots WHERE lot = %s' % lot)\n", "%-formatting"),
    ("system.db.runPrepQuery('SELECT * FROM {}'.format(table), [])\n", ".format()"),
    ("system.db.runUpdateQuery(\"DELETE FROM lots WHERE lot = '\" + lot + \"'\")\n", "+ concatenation"),
    ("system.db.runScalarQuery(f'SELECT {col} FROM lots')\n", "an f-string"),
    ("system.db.runSFPrepUpdate(query='INSERT ' + rest, args=[])\n", "+ concatenation"),
])
def test_each_kind_of_formatting_is_reported_with_its_line(source, how):
    assert findings("x = 1\n" + source) == [(2, findings("x = 1\n" + source)[0][1], how)]


def test_formatting_through_a_local_variable_is_reported():
    source = """
    def load(lot):
        sql = "SELECT * FROM lots"
        sql += " WHERE lot = '%s'" % lot
        return system.db.runPrepQuery(sql, [])
    """
    assert findings(source) == [(5, "runPrepQuery", "+ concatenation (via sql)")]


def test_placeholders_literal_concatenation_and_exempt_lines_pass():
    source = """
    BASE = "SELECT lot FROM lots "
    def load(lot, ids):
        system.db.runPrepQuery("SELECT * FROM lots WHERE lot = ?", [lot])
        system.db.runPrepQuery(BASE + "WHERE lot = ?", [lot])
        system.db.runPrepQuery("SELECT * " + "FROM lots", [])
        marks = ", ".join(["?"] * len(ids))
        system.db.runPrepQuery("SELECT * FROM lots WHERE id IN (" + marks + ")", ids)  # sql-safe: only ? marks
    """
    assert findings(source) == []
