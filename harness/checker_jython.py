"""Does a script compile under Jython 2.7? One real Jython JVM for all scripts, else a syntax check.

`compile_all({key: source})` returns {key: (line, message)} for the sources that do not compile.
With a Java runtime and jython.jar (``GENBA_JYTHON_JAR``, default /usr/share/java/jython.jar) every
source is compiled by Jython's own `compile()` in one JVM. Without them each source is parsed with
a Python 2 grammar (lib2to3's, which accepts the print statement and ``except E, e``) and checked
for Python-3-only constructs (f-strings, annotations, nonlocal, ``yield from``, keyword-only
arguments, async, walrus) that Jython 2.7 rejects.
"""
from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import tempfile
import warnings

__all__ = ["compile_all", "jython_command"]

_RUNNER = r'''
import sys, json, codecs
items = json.load(codecs.open(sys.argv[1], "r", "utf-8"))
out = {}
for key in sorted(items):
    try:
        compile(items[key].encode("utf-8"), key, "exec")
    except SyntaxError, e:
        out[key] = [e.lineno or 0, str(e.msg)]
    except Exception, e:
        out[key] = [0, "%s: %s" % (e.__class__.__name__, e)]
handle = codecs.open(sys.argv[2], "w", "utf-8")
handle.write(json.dumps(out))
handle.close()
'''


def jython_command():
    """The java command line that runs real Jython, or None when this machine has none."""
    jar = os.environ.get("GENBA_JYTHON_JAR", "/usr/share/java/jython.jar")
    java = shutil.which("java")
    if not java or not os.path.isfile(jar):
        return None
    return [java, "-cp", jar, "org.python.util.jython"]


def compile_all(sources, use_jython=True):
    """{key: (line, message)} of sources that fail to compile; also returns which host checked."""
    if not sources:
        return {}, "none"
    command = jython_command() if use_jython else None
    if command:
        with tempfile.TemporaryDirectory(prefix="genba-check-") as tmp:
            runner = os.path.join(tmp, "compile_all.py")
            src = os.path.join(tmp, "sources.json")
            dst = os.path.join(tmp, "result.json")
            with open(runner, "w", encoding="utf-8") as handle:
                handle.write(_RUNNER)
            with open(src, "w", encoding="utf-8") as handle:
                json.dump(sources, handle)
            done = subprocess.run(command + [runner, src, dst], capture_output=True, text=True,
                                  timeout=600)
            if done.returncode == 0 and os.path.isfile(dst):
                with open(dst, encoding="utf-8") as handle:
                    found = json.load(handle)
                return {k: (v[0], v[1]) for k, v in found.items()}, "jython"
    return {k: v for k, v in ((k, py27_problem(s)) for k, s in sources.items()) if v}, "py27-syntax"


_PY3_ONLY = {
    ast.JoinedStr: "f-strings do not exist in Python 2.7",
    ast.AnnAssign: "variable annotations do not exist in Python 2.7",
    ast.Nonlocal: "nonlocal does not exist in Python 2.7",
    ast.AsyncFunctionDef: "async def does not exist in Python 2.7",
    ast.Await: "await does not exist in Python 2.7",
    ast.NamedExpr: "the walrus operator does not exist in Python 2.7",
    ast.YieldFrom: "yield from does not exist in Python 2.7",
}


def py27_problem(source):
    """(line, message) when `source` is not Python 2.7, else None (no Jython at hand)."""
    text = source if source.endswith("\n") else source + "\n"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from lib2to3 import pygram, pytree
            from lib2to3.pgen2 import driver, parse, tokenize
    except ImportError:  # Python 3.13+: no 2.7 grammar at hand, judge by the common subset
        driver = None
    if driver is not None:
        try:
            driver.Driver(pygram.python_grammar, convert=pytree.convert).parse_string(text)
        except parse.ParseError as exc:
            return (exc.context[1][0], "invalid syntax near %r" % exc.value)
        except (tokenize.TokenError, IndentationError) as exc:
            line = exc.args[1][0] if len(exc.args) > 1 and isinstance(exc.args[1], tuple) else 0
            return (line, str(exc.args[0]))
    try:
        tree = ast.parse(text)
    except SyntaxError as exc:
        if driver is None:
            return (exc.lineno or 0, exc.msg)
        return None  # Python-2-only syntax that the 2.7 grammar accepted
    for node in ast.walk(tree):
        message = _PY3_ONLY.get(type(node))
        if message:
            return (node.lineno, message)
        if isinstance(node, (ast.FunctionDef, ast.Lambda)):
            args = node.args
            if args.kwonlyargs or args.posonlyargs:
                return (node.lineno, "keyword-only/positional-only arguments do not exist in "
                                     "Python 2.7")
            if isinstance(node, ast.FunctionDef) and (
                    node.returns or any(a.annotation for a in args.args)):
                return (node.lineno, "annotations do not exist in Python 2.7")
        if isinstance(node, ast.Assign) and any(
                isinstance(t, (ast.Tuple, ast.List)) and
                any(isinstance(e, ast.Starred) for e in t.elts) for t in node.targets):
            return (node.lineno, "starred assignment does not exist in Python 2.7")
    return None
