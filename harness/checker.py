"""genba check: lint a project before it goes to a gateway.

Rules, each reported as ``file: json-path: problem``:
1. structure: project.json, view.json (root container, component type and meta.name, binding and
   transform shapes, event actions), named-query sidecars, gateway event configs, tag exports —
   the same validation the exporter applies;
2. resource.json: every resource of the exported archive against the manifest the gateway writes
   for its type (scope, version, files, required attributes);
3. Jython 2.7: every library module, gateway event, view script (event, transform, custom method,
   message handler, property change) and tag event script compiles — in one real Jython JVM when
   available, else with a Python 2.7 grammar;
4. tag paths: each "[provider]path" string literal in a script and each view tag binding names a
   tag, UDT instance or folder of the tag model; `{param}` parts are resolved from references and
   view parameter defaults, and skipped when they depend on runtime values;
5. mes functions: each ``mes.<module>.<name>(`` call in events, views, tag events and the library
   names a module of project/scripts that defines <name> at top level;
6. gateway events define their handler function (``def onTagChange(...)`` …);
7. named queries: SQL placeholders match the sidecar parameters, and every query path a view
   binding or a ``system.db.runNamedQuery("…")`` literal names exists;
8. view parameters: every ``view.params.<name>`` a binding or view script uses is defined.
"""
from __future__ import annotations

import ast
import os
import re
from dataclasses import dataclass, field

from harness.checker_jython import compile_all
from harness.checker_view import inspect_view
from harness.exporter import build_export, iter_events
from harness.exporter_format import (
    EVENT_KINDS, NQ_ROOT, SCRIPT_ROOT, VIEW_ROOT, DeployError, Problem, load_json_bytes)
from harness.exporter_tags import load_provider_dir
from harness.importer import validate_resource

__all__ = ["CheckResult", "check_project", "RESOURCE_RULES"]

TAG_EVENT_HEADER = ("def %s(tag, tagPath, previousValue, currentValue, initialChange, "
                    "missedEvents):")
ALARM_EVENT_HEADER = "def %s(tag, tagPath, alarmName, alarmEvent, alarmPath, missedEvents):"
_TAG_LITERAL = re.compile(r"""(?P<q>["'])(?P<path>\[[A-Za-z0-9_ .~-]*\][^"'\n\\]*)(?P=q)""")
_MES_CALL = re.compile(r"(?<![\w.])mes((?:\s*\.\s*[A-Za-z_]\w*)+)\s*\(")
_NAMED_QUERY_CALL = re.compile(
    r"""system\.db\.(?:runNamedQuery|execQuery|execUpdate)\(\s*(?P<q>["'])(?P<path>[^"'\n]+)(?P=q)""")
_SKIP_PROVIDERS = {".", "~", "system", "client", "session"}

#: (archive prefix, scope, version, required files, required attributes) per resource type.
RESOURCE_RULES = [
    (SCRIPT_ROOT + "/", "A", 1, ["code.py"], {"hintScope": int}),
    (VIEW_ROOT + "/", "G", 1, ["view.json"], {}),
    (NQ_ROOT + "/", "DG", 2, ["query.sql"], {"type": str, "database": str, "parameters": list,
                                             "enabled": bool}),
] + [("ignition/%s/" % k if not s.singleton else "ignition/%s/" % k, "G", 1, [s.script], {})
     for k, s in sorted(EVENT_KINDS.items())]


@dataclass
class CheckResult:
    problems: list = field(default_factory=list)
    compiled_with: str = "none"
    counts: dict = field(default_factory=dict)

    @property
    def ok(self):
        return not self.problems


def _read(path):
    with open(path, "rb") as handle:
        return handle.read()


def _body(header, body):
    """A stored function body as a compilable function; line 1 of the body stays line 2."""
    lines = body.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not any(line.strip() for line in lines):
        return header + "\n\tpass\n"
    first = next(line for line in lines if line.strip())
    if first[:1] not in (" ", "\t"):
        lines = ["\t" + line if line.strip() else line for line in lines]
    return header + "\n" + "\n".join(lines) + "\n"


class _Checker:
    def __init__(self, project_dir, use_jython):
        self.project = os.path.abspath(project_dir)
        self.use_jython = use_jython
        self.result = CheckResult()
        self.sources = {}       # compile key -> source
        self.where = {}         # compile key -> (file, where prefix, line offset)
        self.texts = []         # (file, where, text, line offset) scanned for tags and mes calls

    def problem(self, file, where, message):
        self.result.problems.append(Problem(file, where, message))

    def add_source(self, file, where, source, offset, scan_text=None):
        key = "%s|%s" % (file, where)
        self.sources[key] = source
        self.where[key] = (file, where, offset)
        self.texts.append((file, where, source if scan_text is None else scan_text, offset))

    # -- collection ------------------------------------------------------------------------
    def structure(self):
        try:
            export = build_export(self.project, epoch=0)
        except DeployError as exc:
            self.result.problems.extend(exc.problems)
            return None
        return export

    def resources(self, export):
        for name in sorted(export.entries):
            if not name.endswith("/resource.json"):
                continue
            doc = load_json_bytes(export.entries[name], name)
            found = validate_resource(doc, name)
            for rule in RESOURCE_RULES:
                if name.startswith(rule[0]):
                    found.extend(_resource_rule(doc, name, rule))
                    break
            self.result.problems.extend(found)
        self.result.counts["resources"] = sum(1 for n in export.entries
                                              if n.endswith("/resource.json"))

    def scripts(self):
        root = os.path.join(self.project, "scripts")
        count = 0
        for here, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(files):
                if name.endswith(".py"):
                    path = os.path.join(here, name)
                    rel = os.path.relpath(path, self.project).replace(os.sep, "/")
                    self.add_source(rel, "", _read(path).decode("utf-8", "replace"), 0)
                    count += 1
        self.result.counts["modules"] = count

    def events(self):
        count = 0
        for kind, name, script, config in iter_events(self.project):
            if not os.path.isfile(script):
                continue
            rel = os.path.relpath(script, self.project).replace(os.sep, "/")
            text = _read(script).decode("utf-8", "replace")
            self.add_source(rel, "", text, 0)
            count += 1
            handler = EVENT_KINDS[kind].script[:-3]
            try:
                tree = ast.parse(text)
            except SyntaxError:
                tree = None
            if tree is not None and not any(isinstance(n, ast.FunctionDef) and n.name == handler
                                            for n in tree.body):
                self.problem(rel, "line 1", "a %s event defines its handler: def %s(...)"
                             % (kind, handler))
            if config:
                try:
                    conf = load_json_bytes(_read(config), config)
                except DeployError:
                    continue  # reported by the structure rule
                for i, path in enumerate(conf.get("paths", []) if isinstance(conf, dict) else []):
                    self.tag_refs.append((os.path.relpath(config, self.project).replace(
                        os.sep, "/"), "$.paths[%d]" % i, path))
        self.result.counts["events"] = count

    def views(self):
        root = os.path.join(self.project, "views")
        count = 0
        for here, dirs, files in os.walk(root):
            dirs.sort()
            if "view.json" not in files:
                continue
            path = os.path.join(here, "view.json")
            rel = os.path.relpath(path, self.project).replace(os.sep, "/")
            try:
                doc = load_json_bytes(_read(path), rel)
            except DeployError:
                continue  # reported by the structure rule
            report = inspect_view(doc, rel)
            count += 1
            for script in report.scripts:
                self.add_source(rel, script.where, _body(script.header, script.body), 1)
            params = doc.get("params") if isinstance(doc.get("params"), dict) else {}
            for where, name in report.params_used:
                if name not in params:
                    self.problem(rel, where, "view parameter %r is not defined in $.params" % name)
            for ref in report.queries:
                self.query_refs.append((rel, ref.where, ref.path))
            for ref in report.tags:
                if ref.path is not None:
                    # a Perspective path without a provider uses the project's default provider
                    path = ref.path if ref.path.startswith("[") else "[default]" + ref.path
                    self.tag_refs.append((rel, ref.where, path))
        self.result.counts["views"] = count

    def tag_events(self):
        root = os.path.join(self.project, "tags")
        if not os.path.isdir(root):
            return
        for provider in sorted(os.listdir(root)):
            folder = os.path.join(root, provider)
            if not os.path.isdir(folder):
                continue
            try:
                files = load_provider_dir(folder, "tags/" + provider)
            except DeployError:
                continue  # reported by the structure rule
            for name in sorted(files):
                rel = "tags/%s/%s" % (provider, name)
                _walk_tag_scripts(files[name][1], "$", rel, self)

    # -- rules -----------------------------------------------------------------------------
    def compile(self):
        failures, host = compile_all(self.sources, self.use_jython)
        self.result.compiled_with = host
        self.result.counts["scripts_compiled"] = len(self.sources)
        for key in sorted(failures):
            file, where, offset = self.where[key]
            line, message = failures[key]
            spot = ("%s line %d" % (where, max(line - offset, 1))).strip() if where else \
                "line %d" % line
            self.problem(file, spot, "does not compile under Jython 2.7: %s" % message)

    def tag_paths(self):
        try:
            from harness.core.tagmodel import load_project_tags

            model = load_project_tags(self.project)
            atomic = [str(leaf.path) for leaf in model.iter_atomic()]
            providers = set(model.providers)
        except Exception as exc:  # the model itself is broken: say so once
            self.problem("tags", "$", "the tag model does not load: %s" % exc)
            return
        known = set()
        for path in atomic:
            provider, rest = path[1:].split("]", 1)
            parts = rest.split("/")
            for i in range(len(parts) + 1):
                known.add(("[%s]%s" % (provider, "/".join(parts[:i]))).lower())
        self.result.counts["tags"] = len(atomic)
        refs = list(self.tag_refs)
        for file, where, text, offset in self.texts:
            for match in _TAG_LITERAL.finditer(text):
                line = text.count("\n", 0, match.start()) + 1 - offset
                spot = ("%s line %d" % (where, max(line, 1))).strip() if where else "line %d" % line
                refs.append((file, spot, match.group("path")))
        for file, where, path in refs:
            message = _tag_problem(path, known, {p.lower() for p in providers})
            if message:
                self.problem(file, where, message)

    def mes_calls(self):
        modules = _library(os.path.join(self.project, "scripts"))
        for file, where, text, offset in self.texts:
            for match in _MES_CALL.finditer(text):
                parts = [p.strip() for p in match.group(1).split(".") if p.strip()]
                line = text.count("\n", 0, match.start()) + 1 - offset
                spot = ("%s line %d" % (where, max(line, 1))).strip() if where else "line %d" % line
                message = _call_problem(parts, modules)
                if message:
                    self.problem(file, spot, message)

    def named_queries(self):
        """Placeholders match the sidecar; every query path a view or script names exists."""
        root = os.path.join(self.project, "db", "queries")
        known = set()
        for here, dirs, files in os.walk(root):
            dirs.sort()
            for name in sorted(files):
                if not name.endswith(".sql"):
                    continue
                path = os.path.join(here, name)
                rel = os.path.relpath(path, self.project).replace(os.sep, "/")
                known.add(rel[len("db/queries/"):-4])
                side = path[:-4] + ".json"
                try:
                    sidecar = load_json_bytes(_read(side), side)
                    params = {p["identifier"]: p.get("type", "Parameter")
                              for p in sidecar.get("parameters", [])}
                except (DeployError, OSError, KeyError, TypeError, AttributeError):
                    continue  # reported by the structure rule
                self.query_placeholders(rel, _read(path).decode("utf-8", "replace"), params)
        self.result.counts["named_queries"] = len(known)
        for file, where, path in self.query_refs:
            if path not in known:
                self.problem(file, where, "named query %r does not exist in db/queries" % path)
        for file, where, text, offset in self.texts:
            for match in _NAMED_QUERY_CALL.finditer(text):
                if match.group("path") not in known:
                    line = text.count("\n", 0, match.start()) + 1 - offset
                    spot = ("%s line %d" % (where, max(line, 1))).strip() if where else \
                        "line %d" % line
                    self.problem(file, spot, "named query %r does not exist in db/queries"
                                 % match.group("path"))

    def query_placeholders(self, rel, sql, params):
        bare = re.sub(r"'(?:[^']|'')*'|--[^\n]*|/\*.*?\*/", lambda m: re.sub(r"[^\n]", " ",
                                                                           m.group(0)), sql,
                      flags=re.S)
        used = {}
        for match in re.finditer(r"(?<![:\w]):([A-Za-z_]\w*)|\{([A-Za-z_]\w*)\}", bare):
            name = match.group(1) or match.group(2)
            used.setdefault(name, (bare.count("\n", 0, match.start()) + 1,
                                   "Parameter" if match.group(1) else "QueryString"))
        for name, (line, kind) in sorted(used.items()):
            if name not in params:
                self.problem(rel, "line %d" % line, "%s is not a parameter in the sidecar"
                             % (":" + name if kind == "Parameter" else "{%s}" % name))
            elif params[name] != kind and not (kind == "Parameter" and params[name] == "Value"):
                self.problem(rel, "line %d" % line, "%r is a %s parameter, used as %s"
                             % (name, params[name], kind))
        for name in sorted(set(params) - set(used)):
            self.problem(rel[:-4] + ".json", "$.parameters", "%r is never used in the query"
                         % name)

    def run(self):
        self.tag_refs = []
        self.query_refs = []
        export = self.structure()
        if export is not None:
            self.resources(export)
        self.scripts()
        self.events()
        self.views()
        self.tag_events()
        self.compile()
        self.tag_paths()
        self.mes_calls()
        self.named_queries()
        self.result.problems = sorted(set(self.result.problems))
        return self.result


def _walk_tag_scripts(node, where, file, checker):
    if isinstance(node, list):
        for i, child in enumerate(node):
            _walk_tag_scripts(child, "%s[%d]" % (where, i), file, checker)
        return
    if not isinstance(node, dict):
        return
    for i, script in enumerate(node.get("eventScripts") or []):
        event = script.get("eventid", "valueChanged")
        header = (ALARM_EVENT_HEADER if event.startswith("alarm") else TAG_EVENT_HEADER) % event
        checker.add_source(file, "%s.eventScripts[%d].script" % (where, i),
                           _body(header, script.get("script", "")), 1)
    if isinstance(node.get("tags"), list):
        _walk_tag_scripts(node["tags"], where + ".tags", file, checker)


def _resource_rule(doc, name, rule):
    _prefix, scope, version, files, attrs = rule
    problems = []
    if doc.get("scope") != scope:
        problems.append(Problem(name, "$.scope", "expected %r, got %r" % (scope, doc.get("scope"))))
    if doc.get("version") != version:
        problems.append(Problem(name, "$.version", "expected %d, got %r" % (version,
                                                                           doc.get("version"))))
    for file in files:
        if file not in (doc.get("files") or []):
            problems.append(Problem(name, "$.files", "must list %s" % file))
    attributes = doc.get("attributes") or {}
    for key in ("lastModification", "lastModificationSignature") + tuple(sorted(attrs)):
        if key not in attributes:
            problems.append(Problem(name, "$.attributes." + key, "missing"))
        elif key in attrs and not isinstance(attributes[key], attrs[key]):
            problems.append(Problem(name, "$.attributes." + key, "expected %s"
                                    % attrs[key].__name__))
    return problems


def _tag_problem(path, known, providers):
    match = re.match(r"\[([^\]]*)\](.*)\Z", path, re.S)
    if not match:
        return None
    provider, rest = match.group(1) or "default", match.group(2)
    if provider.lower() in _SKIP_PROVIDERS or "{" in provider or rest[:1].isspace() or not rest:
        return None  # "[genba] started" is a log prefix, not a tag path
    if provider.lower() not in providers:
        if "/" not in rest:
            return None
        return "tag path %r names provider [%s], which the project has no tags for" % (path,
                                                                                      provider)
    cut = min([i for i in (rest.find("{"), rest.find("%")) if i >= 0] or [-1])
    if cut >= 0:
        rest = rest[:cut]
        if "/" not in rest:
            return None
        rest = rest[: rest.rindex("/")]
    rest = rest.rstrip("/")
    parts = rest.split("/") if rest else []
    if parts and "." in parts[-1]:
        parts[-1] = parts[-1].split(".", 1)[0]
    full = ("[%s]%s" % (provider, "/".join(parts))).lower()
    if full in known:
        return None
    return "tag path %r does not exist in the tag model" % path


def _library(root):
    """{('mes', 'oee'): set of top-level names} of every module under project/scripts."""
    modules = {}
    for here, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in files:
            if not name.endswith(".py") or name == "__init__.py":
                continue
            path = os.path.join(here, name)
            key = tuple(os.path.relpath(path, root)[:-3].split(os.sep))
            try:
                tree = ast.parse(_read(path).decode("utf-8", "replace"))
            except SyntaxError:
                modules[key] = None  # unknown: reported by the compile rule
                continue
            names = set()
            for node in tree.body:
                if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                    names.add(node.name)
                elif isinstance(node, ast.Assign):
                    names.update(t.id for t in node.targets if isinstance(t, ast.Name))
                elif isinstance(node, (ast.Import, ast.ImportFrom)):
                    names.update((a.asname or a.name).split(".")[0] for a in node.names)
            modules[key] = names
    return modules


def _call_problem(parts, modules):
    chain = ["mes"] + parts
    for cut in range(len(chain) - 1, 0, -1):
        key = tuple(chain[:cut])
        if key in modules:
            names = modules[key]
            if names is None or chain[cut] in names:
                return None
            return "%s: module %s defines no %r" % (".".join(chain), ".".join(key), chain[cut])
    packages = {k[:i] for k in modules for i in range(1, len(k))}
    if tuple(chain) in packages or tuple(chain) in modules:
        return "%s is a package or module, not a function" % ".".join(chain)
    return "%s: no module project/scripts/%s.py" % (".".join(chain), "/".join(chain[:-1]))


def check_project(project_dir, use_jython=True):
    """Run every rule over `project_dir`; the result lists problems sorted by file."""
    return _Checker(project_dir, use_jython).run()
