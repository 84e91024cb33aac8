"""Bring a gateway project export and/or tag exports back into the `project/` source layout.

`import_paths(paths, project_dir)` reads every input (a project export folder or zip, a tag JSON
export), translates it into project files, stages the result in a temporary copy of the project,
checks that copy and only then writes the changed files into `project_dir` (each file replaced
atomically). A bad input leaves `project_dir` untouched.

Files whose content does not change keep their bytes (JSON compared parsed), so
import(export(project)) reproduces the source exactly. Import adds and updates; it deletes only tag
files that a whole-provider tag export no longer fills.
"""
from __future__ import annotations

import io
import os
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field

from harness.checker_view import inspect_view
from harness.exporter_format import (
    CHANGE_TYPES, EVENT_DATA_BIN_81, EVENT_KINDS, NQ_DEFAULT_ATTRIBUTES, NQ_ROOT, SCRIPT_ROOT,
    SQL_TYPES, VIEW_ROOT, DeployError, Problem, dump_json, load_json_bytes)
from harness.exporter_tags import (
    load_provider_dir, read_tag_file, root_items, split_provider)

__all__ = ["ImportResult", "import_paths", "read_input", "translate"]

_STANDARD = {"restricted": False, "overridable": True}
_TAGS_FILE = re.compile(r".*-tags-(?P<provider>[A-Za-z0-9_ -]+)\.json\Z")


@dataclass
class ImportResult:
    written: list = field(default_factory=list)     # project-relative paths created or changed
    removed: list = field(default_factory=list)
    unchanged: int = 0
    warnings: list = field(default_factory=list)


def _kind(value):
    return {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}.get(
        type(value), "number")


def read_input(path):
    """('project', {entry: bytes}) for an export folder/zip, ('tags', bytes) for a tag export."""
    if os.path.isdir(path):
        entries = {}
        for here, dirs, files in os.walk(path):
            dirs.sort()
            for name in files:
                full = os.path.join(here, name)
                with open(full, "rb") as handle:
                    entries[os.path.relpath(full, path).replace(os.sep, "/")] = handle.read()
        return "project", _strip_top(entries)
    if not os.path.isfile(path):
        raise DeployError([Problem(path, "$", "no such file or folder")])
    with open(path, "rb") as handle:
        data = handle.read()
    if zipfile.is_zipfile(io.BytesIO(data)):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                entries = {i.filename: archive.read(i) for i in archive.infolist()
                           if not i.is_dir()}
        except (zipfile.BadZipFile, OSError) as exc:
            raise DeployError([Problem(path, "$", "unreadable zip archive (%s)" % exc)])
        return "project", _strip_top(entries)
    return "tags", data


def _strip_top(entries):
    """Exports made by zipping a project folder have everything under one folder: drop it."""
    if "project.json" in entries or not entries:
        return entries
    tops = {name.split("/", 1)[0] for name in entries}
    if len(tops) == 1:
        top = tops.pop() + "/"
        if top + "project.json" in entries:
            return {name[len(top):]: data for name, data in entries.items()}
    return entries


def _resource(entries, base, problems, data_files):
    """The parsed resource.json of the resource at `base`, checked against the manifest schema."""
    label = base + "/resource.json"
    if label not in entries:
        problems.append(Problem(label, "$", "missing resource.json"))
        return None
    try:
        doc = load_json_bytes(entries[label], label)
    except DeployError as exc:
        problems.extend(exc.problems)
        return None
    found = validate_resource(doc, label)
    if found:
        problems.extend(found)
        return None
    for name in data_files:
        if name not in doc["files"]:
            problems.append(Problem(label, "$.files", "does not list %s" % name))
    for name in doc["files"]:
        if base + "/" + name not in entries:
            problems.append(Problem(label, "$.files", "lists %s, which is not in the export" % name))
    return doc


def validate_resource(doc, label):
    """Problems of a resource.json against the manifest schema the gateway writes."""
    if not isinstance(doc, dict):
        return [Problem(label, "$", "expected object, got %s" % _kind(doc))]
    problems = []
    for key, kind in (("scope", "string"), ("version", "number"), ("files", "array"),
                      ("attributes", "object")):
        if key not in doc:
            problems.append(Problem(label, "$." + key, "missing"))
        elif _kind(doc[key]) != kind:
            problems.append(Problem(label, "$." + key, "expected %s, got %s" % (kind, _kind(doc[key]))))
    for key in ("restricted", "overridable", "locked"):
        if key in doc and not isinstance(doc[key], bool):
            problems.append(Problem(label, "$." + key, "expected boolean, got %s" % _kind(doc[key])))
    if isinstance(doc.get("scope"), str) and not re.fullmatch(r"[GCDAN]+", doc["scope"]):
        problems.append(Problem(label, "$.scope", "unknown scope %r" % doc["scope"]))
    if isinstance(doc.get("files"), list):
        for i, name in enumerate(doc["files"]):
            if not isinstance(name, str) or "/" in name or not name:
                problems.append(Problem(label, "$.files[%d]" % i, "expected a file name"))
    attrs = doc.get("attributes")
    if isinstance(attrs, dict) and "lastModification" in attrs:
        mod = attrs["lastModification"]
        if not isinstance(mod, dict) or not isinstance(mod.get("actor"), str) or \
                not isinstance(mod.get("timestamp"), str):
            problems.append(Problem(label, "$.attributes.lastModification",
                                    "expected {actor, timestamp} strings"))
    return problems


def _deviations(doc, scope, label, warnings, extra=None):
    for key, value in (("scope", scope),) + tuple(_STANDARD.items()):
        if doc.get(key, value) != value:
            warnings.append("%s: $.%s: %r is not kept (the project layout has no place for it)"
                            % (label, key, doc[key]))
    for key, value in (extra or {}).items():
        if doc["attributes"].get(key, value) != value:
            warnings.append("%s: $.attributes.%s: %r is not kept" % (label, key,
                                                                     doc["attributes"][key]))


def _bases(entries, root, marker):
    prefix = root + "/"
    return sorted(name[len(prefix):-len(marker) - 1] for name in entries
                  if name.startswith(prefix) and name.endswith("/" + marker))


def translate(entries, problems, warnings):
    """{project-relative path: bytes} for a project export's entries."""
    out = {}
    used = set()
    if "project.json" in entries:
        used.add("project.json")
        try:
            doc = load_json_bytes(entries["project.json"], "project.json")
            if not isinstance(doc, dict):
                problems.append(Problem("project.json", "$", "expected object"))
        except DeployError as exc:
            problems.extend(exc.problems)
        out["project.json"] = entries["project.json"]
    for rel in _bases(entries, SCRIPT_ROOT, "code.py"):
        base = "%s/%s" % (SCRIPT_ROOT, rel)
        used.update({base + "/code.py", base + "/resource.json"})
        doc = _resource(entries, base, problems, ["code.py"])
        if doc is None:
            continue
        _deviations(doc, "A", base + "/resource.json", warnings, {"hintScope": 2})
        if not all(re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", p) for p in rel.split("/")):
            problems.append(Problem(base, "$", "script path %r is not made of Python identifiers"
                                    % rel))
            continue
        out["scripts/%s.py" % rel] = entries[base + "/code.py"]
    for rel in _bases(entries, VIEW_ROOT, "view.json"):
        base = "%s/%s" % (VIEW_ROOT, rel)
        used.update({base + "/view.json", base + "/resource.json", base + "/thumbnail.png"})
        doc = _resource(entries, base, problems, ["view.json"])
        if doc is None:
            continue
        _deviations(doc, "G", base + "/resource.json", warnings)
        try:
            view = load_json_bytes(entries[base + "/view.json"], base + "/view.json")
        except DeployError as exc:
            problems.extend(exc.problems)
            continue
        found = inspect_view(view, base + "/view.json").problems
        if found:
            problems.extend(found)
            continue
        out["views/%s/view.json" % rel] = entries[base + "/view.json"]
        if base + "/thumbnail.png" in entries:
            out["views/%s/thumbnail.png" % rel] = entries[base + "/thumbnail.png"]
    for rel in _bases(entries, NQ_ROOT, "query.sql"):
        base = "%s/%s" % (NQ_ROOT, rel)
        used.update({base + "/query.sql", base + "/resource.json"})
        doc = _resource(entries, base, problems, ["query.sql"])
        if doc is None:
            continue
        _deviations(doc, "DG", base + "/resource.json", warnings)
        sidecar = sidecar_from_attributes(doc["attributes"], base + "/resource.json", problems)
        if sidecar is not None:
            out["db/queries/%s.sql" % rel] = entries[base + "/query.sql"]
            out["db/queries/%s.json" % rel] = dump_json(sidecar)
    for kind, spec in sorted(EVENT_KINDS.items()):
        for name in sorted(entries):
            if not name.startswith("ignition/%s/" % kind) or not name.endswith("/" + spec.script):
                continue
            base = name[: -len(spec.script) - 1]
            event = base[len("ignition/%s" % kind):].strip("/")
            if spec.singleton == bool(event) or "/" in event:
                problems.append(Problem(name, "$", "unexpected %s event location" % kind))
                continue
            used.update({name, base + "/resource.json"})
            doc = _resource(entries, base, problems, [spec.script])
            if doc is None:
                continue
            _deviations(doc, "G", base + "/resource.json", warnings)
            config = config_from_attributes(kind, doc["attributes"], base + "/resource.json",
                                            problems)
            folder = "/".join(p for p in ("events", kind, event) if p)
            out["%s/%s" % (folder, spec.script)] = entries[name]
            if config:
                out[folder + "/config.json"] = dump_json(config)
    if EVENT_DATA_BIN_81 in entries:
        used.add(EVENT_DATA_BIN_81)
        warnings.append("%s: 8.1 gateway events are a binary Designer file; re-create them under "
                        "project/events (docs/deploy.md)" % EVENT_DATA_BIN_81)
    for name in entries:
        # folder manifests inside the resource trees Genba maps carry nothing to keep
        if name.endswith("/resource.json") and name.startswith((SCRIPT_ROOT, VIEW_ROOT, NQ_ROOT)):
            used.add(name)
    skipped = sorted({_resource_folder(n) for n in entries if n not in used})
    for name in skipped:
        if name.startswith(NQ_ROOT) and any(n.startswith(name + "/") and n.endswith("data.bin")
                                            for n in entries):
            warnings.append("%s: an older binary named query (data.bin) is not imported; open and "
                            "save it in an 8.1 Designer, then export again" % name)
        else:
            warnings.append("%s: not part of the Genba project layout, skipped" % name)
    return out


def _resource_folder(name):
    return name.rsplit("/", 1)[0] if "/" in name else name


def sidecar_from_attributes(attrs, label, problems):
    """The db/queries sidecar for a named query's resource attributes (defaults left out)."""
    params = []
    raw = attrs.get("parameters", [])
    if not isinstance(raw, list):
        problems.append(Problem(label, "$.attributes.parameters", "expected array, got %s"
                                % _kind(raw)))
        return None
    for i, param in enumerate(raw):
        spot = "$.attributes.parameters[%d]" % i
        if not isinstance(param, dict) or not isinstance(param.get("identifier"), str):
            problems.append(Problem(label, spot, "expected {type, identifier, sqlType}"))
            return None
        code = param.get("sqlType")
        if not isinstance(code, int) or isinstance(code, bool) or not 0 <= code < len(SQL_TYPES):
            problems.append(Problem(label, spot + ".sqlType", "unknown sqlType %r" % (code,)))
            return None
        entry = {"identifier": param["identifier"], "sqlType": SQL_TYPES[code]}
        if param.get("type", "Parameter") != "Parameter":
            entry["type"] = param["type"]
        params.append(entry)
    kind = attrs.get("type", "Query")
    if kind not in ("Query", "UpdateQuery", "ScalarQuery"):
        problems.append(Problem(label, "$.attributes.type", "unknown named query type %r" % kind))
        return None
    sidecar = {"type": kind, "database": attrs.get("database", ""), "parameters": params}
    for key in sorted(attrs):
        if key in ("type", "database", "parameters", "lastModification",
                   "lastModificationSignature"):
            continue
        if key in NQ_DEFAULT_ATTRIBUTES and _same(attrs[key], NQ_DEFAULT_ATTRIBUTES[key]):
            continue
        sidecar[key] = attrs[key]
    return sidecar


def _same(a, b):
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return all(_same(x, y) for x, y in zip(a, b))
    return a == b


def config_from_attributes(kind, attrs, label, problems):
    """config.json content for a gateway event's resource attributes (implicit defaults left out)."""
    spec = EVENT_KINDS[kind]
    config = {}
    for key in sorted(attrs, key=lambda k: (k not in spec.keep, spec.keep.index(k)
                                            if k in spec.keep else 0, k)):
        if key in ("lastModification", "lastModificationSignature"):
            continue
        value = attrs[key]
        if key in spec.implicit and value == spec.implicit[key]:
            continue
        if kind == "tag-change" and key == "changeTypes":
            back = {v: k for k, v in CHANGE_TYPES.items()}
            if not isinstance(value, list) or any(v not in back for v in value):
                problems.append(Problem(label, "$.attributes.changeTypes", "expected ValueChange, "
                                        "QualityChange or TimestampChange entries"))
                return None
            value = [back[v] for v in value]
        config[key] = value
    return config


def _tag_provider(path, explicit):
    if explicit:
        return explicit
    match = _TAGS_FILE.match(os.path.basename(path))
    return match.group("provider") if match else "default"


def _same_content(path, old, new):
    if old == new:
        return True
    if path.endswith(".json"):
        try:
            return load_json_bytes(old, path) == load_json_bytes(new, path)
        except DeployError:
            return False
    return False


def import_paths(paths, project_dir, provider=None):
    """Import every input into `project_dir`; raise DeployError (writing nothing) on bad input."""
    problems, warnings = [], []
    desired, removals = {}, set()
    tag_inputs = []
    for path in paths:
        kind, content = read_input(path)
        if kind == "project":
            if not content:
                problems.append(Problem(path, "$", "empty export"))
                continue
            desired.update(translate(content, problems, warnings))
        else:
            label = os.path.basename(path)
            if content.lstrip()[:1] == b"<":
                problems.append(Problem(label, "$", "an XML tag export; export the tags as JSON "
                                                    "from the Tag Browser"))
                continue
            try:
                tag_inputs.append((_tag_provider(path, provider), read_tag_file(content, label), label))
            except DeployError as exc:
                problems.extend(exc.problems)
    if problems:
        raise DeployError(problems)
    for prov, root, label in tag_inputs:
        folder = os.path.join(project_dir, "tags", prov)
        existing = load_provider_dir(folder, "tags/" + prov)
        shape, items = root_items(root, label)
        files = split_provider(items, existing, whole=(shape == "provider"))
        for name, data in files.items():
            rel = "tags/%s/%s" % (prov, name)
            if data is None:
                removals.add(rel)
            else:
                desired[rel] = data
    result = ImportResult(warnings=warnings)
    changes = {}
    for rel, data in sorted(desired.items()):
        target = os.path.join(project_dir, rel)
        if os.path.isfile(target):
            with open(target, "rb") as handle:
                old = handle.read()
            if _same_content(rel, old, data):
                result.unchanged += 1
                continue
        changes[rel] = data
    _stage_and_check(project_dir, changes, removals)
    # every new file is written beside its target first; only when all are on disk do the
    # renames (each atomic) put them in place
    pending = []
    try:
        for rel, data in sorted(changes.items()):
            target = os.path.join(project_dir, rel)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target + ".genba-tmp", "wb") as handle:
                pending.append(target)
                handle.write(data)
    except OSError:
        for target in pending:
            if os.path.exists(target + ".genba-tmp"):
                os.remove(target + ".genba-tmp")
        raise
    for rel, target in zip(sorted(changes), pending):
        os.replace(target + ".genba-tmp", target)
        result.written.append(rel)
    for rel in sorted(removals):
        target = os.path.join(project_dir, rel)
        if os.path.isfile(target):
            os.remove(target)
            result.removed.append(rel)
    return result


def _stage_and_check(project_dir, changes, removals):
    """Apply the changes to a temporary copy and check it loads, before touching the project."""
    with tempfile.TemporaryDirectory(prefix="genba-import-") as tmp:
        staged = os.path.join(tmp, "project")
        if os.path.isdir(project_dir):
            shutil.copytree(project_dir, staged, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            os.makedirs(staged)
        for rel, data in changes.items():
            target = os.path.join(staged, rel)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "wb") as handle:
                handle.write(data)
        for rel in removals:
            target = os.path.join(staged, rel)
            if os.path.isfile(target):
                os.remove(target)
        if not os.path.isfile(os.path.join(staged, "project.json")):
            return
        from harness.exporter import build_export

        touched = set(changes) | set(removals)
        folders = {rel.rsplit("/", 1)[0] for rel in touched if rel.startswith("tags/")}
        try:
            build_export(staged, epoch=0)
        except DeployError as exc:
            mine = [p for p in exc.problems if p.file in touched or
                    any(p.file.startswith(f + "/") or p.file == f for f in folders)]
            if mine:
                raise DeployError(mine)
