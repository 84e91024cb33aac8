"""Find SQL built by string formatting in calls to system.db.* (the rule of project/db/README.md).

`scan_source(text, filename)` parses Python source and reports every `system.db.<run...>(query, ...)`
call whose query is built with `%`, `.format(...)`, `+` (unless every piece is a literal) or an
f-string, directly or through a local variable assigned that way in the same function or module.
A line carrying the comment `# sql-safe: <reason>` is exempt (for example a `?, ?, ?` list built
from a count).
"""
from __future__ import annotations

import ast
import os

__all__ = ["DB_FUNCTIONS", "Finding", "scan_project", "scan_source"]

DB_FUNCTIONS = frozenset(["runQuery", "runPrepQuery", "runScalarQuery", "runScalarPrepQuery", "runUpdateQuery",
                          "runPrepUpdate", "runSFPrepUpdate", "runSFUpdateQuery"])


class Finding:
    """One offending call: file, line and what was wrong."""

    def __init__(self, path, line, function, how):
        self.path = path
        self.line = line
        self.function = function
        self.how = how

    def __repr__(self):
        return "%s:%d: system.db.%s query built by %s" % (self.path, self.line, self.function, self.how)

    __str__ = __repr__


def _is_db_call(node):
    func = node.func
    return (isinstance(func, ast.Attribute) and func.attr in DB_FUNCTIONS
            and isinstance(func.value, ast.Attribute) and func.value.attr == "db"
            and isinstance(func.value.value, ast.Name) and func.value.value.id == "system")


class _Scope:
    def __init__(self, body_nodes, parent=None):
        self.assignments = {}
        for node in body_nodes:
            for child in ast.walk(node):
                if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)) and child not in body_nodes:
                    continue
                if isinstance(child, ast.Assign):
                    for target in child.targets:
                        if isinstance(target, ast.Name):
                            self.assignments.setdefault(target.id, []).append(child.value)
                elif isinstance(child, ast.AugAssign) and isinstance(child.target, ast.Name):
                    if isinstance(child.op, (ast.Add, ast.Mod)):
                        self.assignments.setdefault(child.target.id, []).append(
                            ast.BinOp(left=ast.Name(id=child.target.id), op=child.op, right=child.value))
                elif isinstance(child, ast.AnnAssign) and isinstance(child.target, ast.Name) and child.value:
                    self.assignments.setdefault(child.target.id, []).append(child.value)
        if parent is not None:
            for name, values in parent.assignments.items():
                self.assignments.setdefault(name, values)


def _static(node, scope, seen):
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _static(node.left, scope, seen) and _static(node.right, scope, seen)
    if isinstance(node, ast.Name) and node.id not in seen and node.id in scope.assignments:
        seen = seen | {node.id}
        return all(_static(v, scope, seen) for v in scope.assignments[node.id])
    return False


def _how(node, scope, seen=frozenset()):
    """How `node` was built by formatting, or None."""
    if isinstance(node, ast.JoinedStr):
        if any(isinstance(v, ast.FormattedValue) for v in node.values):
            return "an f-string"
        return None
    if isinstance(node, ast.BinOp):
        if isinstance(node.op, ast.Mod):
            return "%-formatting"
        if isinstance(node.op, ast.Add):
            if _static(node, scope, seen):
                return None
            return "+ concatenation"
        return None
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        return ".format()"
    if isinstance(node, ast.IfExp):
        return _how(node.body, scope, seen) or _how(node.orelse, scope, seen)
    if isinstance(node, ast.Name) and node.id not in seen and node.id in scope.assignments:
        for value in scope.assignments[node.id]:
            how = _how(value, scope, seen | {node.id})
            if how:
                return how + " (via %s)" % node.id
    return None


def scan_source(text, path="<source>"):
    """Findings in one Python source text."""
    tree = ast.parse(text, filename=path)
    lines = text.splitlines()
    findings = []

    def visit(body, scope):
        for node in body:
            for child in ast.walk(node):
                if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) and child is not node:
                    continue
                if isinstance(child, ast.Call) and _is_db_call(child):
                    query = child.args[0] if child.args else next(
                        (k.value for k in child.keywords if k.arg == "query"), None)
                    if query is None:
                        continue
                    how = _how(query, scope)
                    line = lines[child.lineno - 1] if child.lineno - 1 < len(lines) else ""
                    if how and "sql-safe:" not in line:
                        findings.append(Finding(path, child.lineno, child.func.attr, how))
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                visit(node.body, _Scope(node.body, scope))
            elif isinstance(node, ast.ClassDef):
                visit(node.body, _Scope(node.body, scope))

    visit(tree.body, _Scope(tree.body))
    unique = {}
    for finding in findings:
        unique[(finding.line, finding.function)] = finding
    return [unique[k] for k in sorted(unique)]


def scan_project(project_dir):
    """Findings in every .py file under `project_dir`, in path order."""
    findings = []
    for root, dirs, files in os.walk(project_dir):
        dirs.sort()
        for name in sorted(files):
            if name.endswith(".py"):
                path = os.path.join(root, name)
                with open(path, encoding="utf-8") as handle:
                    findings.extend(scan_source(handle.read(), path))
    return findings
