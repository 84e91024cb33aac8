"""Build an Ignition project archive (8.1 or 8.3) and tag exports from the `project/` source tree.

`build_export(project_dir, ignition="8.3", epoch=None)` returns an Export: the archive entries
{path: bytes}, one tag export per provider and, for 8.1, the gateway-event instructions. Writing is
separate (`write_export`), so tests and `genba check` can look at the archive without a file.

Output is deterministic: entries sorted, JSON written one way, every timestamp (zip entries and
``lastModification``) taken from `epoch`, which defaults to SOURCE_DATE_EPOCH, else the time of the
last git commit that touched the project folder, else 2020-01-01T00:00:00Z.
"""
from __future__ import annotations

import datetime as _dt
import json
import os
import re
import subprocess
import zipfile
from dataclasses import dataclass, field

from harness.checker_view import inspect_view
from harness.exporter_format import (
    CHANGE_TYPES, EVENT_KINDS, NQ_DEFAULT_ATTRIBUTES, NQ_ROOT, SCRIPT_ROOT, SQL_TYPES, VIEW_ROOT,
    DeployError, Problem, dump_json, iso_timestamp, load_json_bytes, resource_json)
from harness.exporter_tags import load_provider_dir, merge_provider, provider_export

__all__ = ["FALLBACK_EPOCH", "Export", "build_export", "source_epoch", "write_export"]

FALLBACK_EPOCH = 1577836800  # 2020-01-01T00:00:00Z
VERSIONS = ("8.1", "8.3")
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
NQ_TYPES = ("Query", "UpdateQuery", "ScalarQuery")
PARAM_TYPES = ("Parameter", "QueryString", "Value")


@dataclass
class Export:
    """What `genba export` produces, in memory."""

    ignition: str
    epoch: int
    entries: dict = field(default_factory=dict)      # archive path -> bytes
    tags: dict = field(default_factory=dict)         # provider -> tag export bytes
    manual_events: str = ""                          # 8.1: what to create by hand in the designer
    events: list = field(default_factory=list)       # (kind, name, script path) exported or listed


def source_epoch(project_dir):
    """The timestamp every exported entry carries (see the module docstring)."""
    env = os.environ.get("SOURCE_DATE_EPOCH")
    if env:
        return int(env)
    try:
        out = subprocess.run(["git", "log", "-1", "--format=%ct", "--", "."], cwd=project_dir,
                             capture_output=True, text=True, timeout=20)
        if out.returncode == 0 and out.stdout.strip():
            return int(out.stdout.strip())
    except (OSError, subprocess.SubprocessError, ValueError):
        pass
    return FALLBACK_EPOCH


def _read(path):
    with open(path, "rb") as handle:
        return handle.read()


def _walk(root):
    """Relative file paths under `root`, sorted, skipping caches and hidden entries."""
    found = []
    for here, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__" and not d.startswith("."))
        for name in files:
            if name.startswith(".") or name.endswith((".pyc", "$py.class")):
                continue
            found.append(os.path.relpath(os.path.join(here, name), root).replace(os.sep, "/"))
    return sorted(found)


def _scripts(project_dir, stamp, out, problems):
    root = os.path.join(project_dir, "scripts")
    if not os.path.isdir(root):
        return
    modules = set()
    for rel in _walk(root):
        if not rel.endswith(".py"):
            continue
        label = "scripts/" + rel
        parts = rel[:-3].split("/")
        if parts[-1] == "__init__":
            if _read(os.path.join(root, rel)).strip():
                problems.append(Problem(label, "$", "package code has no place in an Ignition "
                                                    "project library; move it into a module"))
            continue
        bad = [p for p in parts if not _IDENT.match(p)]
        if bad:
            problems.append(Problem(label, "$", "%r is not a Python identifier, so no script can "
                                                "reach this module" % bad[0]))
            continue
        modules.add(tuple(parts))
        code = _read(os.path.join(root, rel))
        base = "%s/%s" % (SCRIPT_ROOT, "/".join(parts))
        out[base + "/code.py"] = code
        out[base + "/resource.json"] = resource_json("A", 1, {"code.py": code},
                                                     {"hintScope": 2}, stamp)
    for parts in sorted(modules):
        for i in range(1, len(parts)):
            if parts[:i] in modules:
                problems.append(Problem("scripts/%s.py" % "/".join(parts[:i]), "$",
                                        "a module and a package share the name %r" % parts[i - 1]))


def _views(project_dir, stamp, out, problems):
    root = os.path.join(project_dir, "views")
    if not os.path.isdir(root):
        return
    for rel in _walk(root):
        if not rel.endswith("/view.json") and rel != "view.json":
            continue
        folder = rel[: -len("view.json")].rstrip("/")
        if not folder:
            problems.append(Problem("views/view.json", "$", "a view needs a folder (its name)"))
            continue
        label = "views/" + rel
        data = _read(os.path.join(root, rel))
        try:
            doc = load_json_bytes(data, label)
        except DeployError as exc:
            problems.extend(exc.problems)
            continue
        found = inspect_view(doc, label).problems
        if found:
            problems.extend(found)
            continue
        files = {"view.json": data}
        thumb = os.path.join(root, folder, "thumbnail.png")
        if os.path.isfile(thumb):
            files["thumbnail.png"] = _read(thumb)
        base = "%s/%s" % (VIEW_ROOT, folder)
        for name, content in files.items():
            out["%s/%s" % (base, name)] = content
        out[base + "/resource.json"] = resource_json("G", 1, files, {}, stamp)


def query_attributes(sidecar, label):
    """resource.json attributes of a named query from its sidecar; raise DeployError when bad."""
    problems = []
    if not isinstance(sidecar, dict):
        raise DeployError([Problem(label, "$", "expected object")])
    if sidecar.get("type") not in NQ_TYPES:
        problems.append(Problem(label, "$.type", "expected one of %s, got %r"
                                % (", ".join(NQ_TYPES), sidecar.get("type"))))
    if not isinstance(sidecar.get("database", ""), str):
        problems.append(Problem(label, "$.database", "expected string"))
    params = sidecar.get("parameters", [])
    converted = []
    if not isinstance(params, list):
        problems.append(Problem(label, "$.parameters", "expected array"))
        params = []
    for i, param in enumerate(params):
        spot = "$.parameters[%d]" % i
        if not isinstance(param, dict):
            problems.append(Problem(label, spot, "expected object"))
            continue
        if not isinstance(param.get("identifier"), str) or not _IDENT.match(param["identifier"]):
            problems.append(Problem(label, spot + ".identifier", "expected a parameter name"))
        if param.get("sqlType") not in SQL_TYPES:
            problems.append(Problem(label, spot + ".sqlType", "expected a data type name (%s), got "
                                    "%r" % (", ".join(SQL_TYPES[:10]), param.get("sqlType"))))
            continue
        kind = param.get("type", "Parameter")
        if kind not in PARAM_TYPES:
            problems.append(Problem(label, spot + ".type", "expected one of %s"
                                    % ", ".join(PARAM_TYPES)))
        converted.append({"type": kind, "identifier": param.get("identifier"),
                          "sqlType": SQL_TYPES.index(param["sqlType"])})
    if problems:
        raise DeployError(problems)
    attrs = dict(NQ_DEFAULT_ATTRIBUTES)
    for key, value in sidecar.items():
        if key not in ("type", "database", "parameters"):
            attrs[key] = value
    attrs["type"] = sidecar["type"]
    attrs["database"] = sidecar.get("database", "")
    attrs["parameters"] = converted
    return attrs


def _queries(project_dir, stamp, out, problems):
    root = os.path.join(project_dir, "db", "queries")
    if not os.path.isdir(root):
        return
    for rel in _walk(root):
        if not rel.endswith(".sql"):
            continue
        label = "db/queries/" + rel
        side_rel = rel[:-4] + ".json"
        side_path = os.path.join(root, side_rel)
        if not os.path.isfile(side_path):
            problems.append(Problem(label, "$", "missing sidecar db/queries/%s (type, database, "
                                                "parameters)" % side_rel))
            continue
        try:
            attrs = query_attributes(load_json_bytes(_read(side_path), "db/queries/" + side_rel),
                                     "db/queries/" + side_rel)
        except DeployError as exc:
            problems.extend(exc.problems)
            continue
        sql = _read(os.path.join(root, rel))
        base = "%s/%s" % (NQ_ROOT, rel[:-4])
        out[base + "/query.sql"] = sql
        out[base + "/resource.json"] = resource_json("DG", 2, {"query.sql": sql}, attrs, stamp)


def event_attributes(kind, config, label):
    """resource.json attributes of a gateway event from its config.json."""
    problems = []
    spec = EVENT_KINDS[kind]
    if not isinstance(config, dict):
        raise DeployError([Problem(label, "$", "expected object")])
    attrs = dict(spec.implicit)
    for key, value in config.items():
        attrs[key] = value
    if kind == "timer":
        if not isinstance(config.get("delay"), int) or isinstance(config.get("delay"), bool) or \
                config["delay"] <= 0:
            problems.append(Problem(label, "$.delay", "expected a positive number of milliseconds"))
    if kind == "tag-change":
        paths = config.get("paths")
        if not isinstance(paths, list) or not paths or not all(isinstance(p, str) for p in paths):
            problems.append(Problem(label, "$.paths", "expected a non-empty array of tag paths"))
        types = config.get("changeTypes", ["value"])
        if not isinstance(types, list) or any(t not in CHANGE_TYPES for t in types):
            problems.append(Problem(label, "$.changeTypes", "expected an array of %s"
                                    % ", ".join(sorted(CHANGE_TYPES))))
        else:
            attrs["changeTypes"] = [CHANGE_TYPES[t] for t in types]
    for key in ("enabled", "fixedDelay", "sharedThread"):
        if key in attrs and not isinstance(attrs[key], bool):
            problems.append(Problem(label, "$." + key, "expected true or false"))
    if problems:
        raise DeployError(problems)
    return attrs


def iter_events(project_dir):
    """(kind, name, script path, config path or None) of every gateway event in the project."""
    root = os.path.join(project_dir, "events")
    found = []
    if not os.path.isdir(root):
        return found
    for kind in sorted(os.listdir(root)):
        spec = EVENT_KINDS.get(kind)
        base = os.path.join(root, kind)
        if spec is None or not os.path.isdir(base):
            continue
        folders = [("", base)] if spec.singleton else [
            (name, os.path.join(base, name)) for name in sorted(os.listdir(base))
            if os.path.isdir(os.path.join(base, name)) and not name.startswith(".")]
        for name, folder in folders:
            config = os.path.join(folder, "config.json")
            found.append((kind, name, os.path.join(folder, spec.script),
                          config if os.path.isfile(config) else None))
    return found


def _events(project_dir, stamp, version, export, problems):
    root = os.path.join(project_dir, "events")
    if os.path.isdir(root):
        for kind in sorted(os.listdir(root)):
            if kind not in EVENT_KINDS and not kind.startswith("."):
                problems.append(Problem("events/" + kind, "$", "unknown gateway event kind (expected "
                                        "one of %s)" % ", ".join(sorted(EVENT_KINDS))))
    manual = []
    for kind, name, script_path, config_path in iter_events(project_dir):
        spec = EVENT_KINDS[kind]
        rel = "/".join(p for p in ("events", kind, name) if p)
        if not os.path.isfile(script_path):
            problems.append(Problem(rel, "$", "missing %s" % spec.script))
            continue
        config = {}
        if config_path:
            try:
                config = load_json_bytes(_read(config_path), rel + "/config.json")
                attrs = event_attributes(kind, config, rel + "/config.json")
            except DeployError as exc:
                problems.extend(exc.problems)
                continue
        else:
            if kind in ("timer", "tag-change"):
                problems.append(Problem(rel, "$", "missing config.json"))
                continue
            attrs = dict(spec.implicit)
        code = _read(script_path)
        export.events.append((kind, name, rel + "/" + spec.script))
        if version == "8.3":
            base = "/".join(p for p in ("ignition", kind, name) if p)
            export.entries["%s/%s" % (base, spec.script)] = code
            export.entries[base + "/resource.json"] = resource_json(
                "G", 1, {spec.script: code}, attrs, stamp)
        else:
            manual.append(_manual_entry(kind, name, spec, config, code.decode("utf-8", "replace")))
    if manual:
        export.manual_events = MANUAL_HEADER + "\n".join(manual)


MANUAL_HEADER = """Gateway events for Ignition 8.1 (one manual step)

Ignition 8.1 keeps a project's gateway events in one binary file (ignition/event-scripts/data.bin)
that only the Designer writes, so this archive does not carry them. After importing the project,
open it in the Designer, Project > Gateway Events, and create each event below with its settings.
Paste the script block as the whole event script. Each block defines the handler exactly as the
source does and then calls it with the names the 8.1 editor provides, so the code that runs is the
code in project/events.

"""


def _manual_entry(kind, name, spec, config, code):
    handler = spec.script[:-3]
    calls = {
        "startup": "onStartup()", "shutdown": "onShutdown()", "update": "onUpdate(actor, resources)",
        "timer": "handleTimerEvent()", "scheduled": "handleScheduleEvent()",
        "tag-change": "onTagChange(initialChange, newValue, previousValue, event, executionCount)",
        "message": "return handleMessage(payload)",
    }
    title = "%s %s" % (kind, name) if name else kind
    lines = ["== %s ==" % title]
    settings = {k: v for k, v in config.items()}
    if settings:
        lines.append("settings: " + json.dumps(settings, sort_keys=True))
    body = code.rstrip("\n") + "\n" + calls[kind] + "\n"
    if kind == "message":
        lines.append("(the 8.1 editor shows the line 'def handleMessage(payload):'; paste inside it)")
        body = "".join("\t" + line if line.strip() else line for line in body.splitlines(True))
    lines.append("----- script -----")
    lines.append(body.rstrip("\n"))
    lines.append("------------------")
    lines.append("")
    return "\n".join(lines)


def _tags(project_dir, export, problems):
    root = os.path.join(project_dir, "tags")
    if not os.path.isdir(root):
        return
    for provider in sorted(os.listdir(root)):
        folder = os.path.join(root, provider)
        if not os.path.isdir(folder) or provider.startswith("."):
            continue
        try:
            files = load_provider_dir(folder, "tags/" + provider)
            items = merge_provider({name: files[name][1] for name in files}, "tags/" + provider)
        except DeployError as exc:
            problems.extend(exc.problems)
            continue
        if files:
            export.tags[provider] = dump_json(provider_export(items))


def _nested_resources(entries):
    """A resource folder cannot also hold resources (a view inside a view, a query in a query)."""
    folders = {name[: -len("/resource.json")] for name in entries if name.endswith("/resource.json")}
    problems = []
    for folder in sorted(folders):
        parts = folder.split("/")
        for i in range(2, len(parts)):
            outer = "/".join(parts[:i])
            if outer in folders:
                problems.append(Problem(folder, "$", "lies inside the resource %s; Ignition cannot "
                                                     "hold a resource inside another" % outer))
    return problems


def build_export(project_dir, ignition="8.3", epoch=None):
    """Everything `genba export` writes, built in memory; DeployError lists every bad input."""
    if ignition not in VERSIONS:
        raise DeployError([Problem("--ignition", "$", "expected one of %s, got %r"
                                   % (", ".join(VERSIONS), ignition))])
    project_dir = os.path.abspath(project_dir)
    manifest = os.path.join(project_dir, "project.json")
    if not os.path.isfile(manifest):
        raise DeployError([Problem("project.json", "$", "missing: %s is not a project folder"
                                   % project_dir)])
    epoch = source_epoch(project_dir) if epoch is None else int(epoch)
    stamp = iso_timestamp(epoch)
    export = Export(ignition=ignition, epoch=epoch)
    problems = []
    data = _read(manifest)
    try:
        doc = load_json_bytes(data, "project.json")
        if not isinstance(doc, dict) or not isinstance(doc.get("title"), str):
            problems.append(Problem("project.json", "$.title", "a project needs a title string"))
    except DeployError as exc:
        problems.extend(exc.problems)
    export.entries["project.json"] = data
    _scripts(project_dir, stamp, export.entries, problems)
    _views(project_dir, stamp, export.entries, problems)
    _queries(project_dir, stamp, export.entries, problems)
    _events(project_dir, stamp, ignition, export, problems)
    _tags(project_dir, export, problems)
    if not problems:
        problems.extend(_nested_resources(export.entries))
    if problems:
        raise DeployError(sorted(set(problems)))
    export.entries = dict(sorted(export.entries.items()))
    return export


def zip_bytes(entries, epoch):
    """The archive bytes: sorted entries, fixed times and permissions, stored uncompressed.

    Stored, not deflated: deflate output depends on the zlib build, stored bytes do not, so the
    same source gives the same archive on every machine.
    """
    import io

    moment = _dt.datetime.fromtimestamp(max(int(epoch), 315532800), tz=_dt.timezone.utc)
    stamp = (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_STORED
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            archive.writestr(info, entries[name])
    return buffer.getvalue()


def output_paths(output, export):
    """{role: path} of the files `write_export` writes next to each other."""
    stem = output[:-4] if output.endswith(".zip") else output
    paths = {"archive": output if output.endswith(".zip") else output + ".zip"}
    for provider in export.tags:
        paths["tags:" + provider] = "%s-tags-%s.json" % (stem, provider)
    if export.manual_events:
        paths["events-8.1"] = "%s-gateway-events-8.1.txt" % stem
    return paths


def write_export(export, output):
    """Write the archive, one tag export per provider and the 8.1 event sheet; return the paths."""
    paths = output_paths(output, export)
    folder = os.path.dirname(os.path.abspath(paths["archive"]))
    os.makedirs(folder, exist_ok=True)
    contents = {"archive": zip_bytes(export.entries, export.epoch)}
    for provider, data in export.tags.items():
        contents["tags:" + provider] = data
    if export.manual_events:
        contents["events-8.1"] = export.manual_events.encode("utf-8")
    for role, path in paths.items():
        tmp = path + ".tmp"
        with open(tmp, "wb") as handle:
            handle.write(contents[role])
        os.replace(tmp, path)
    return paths
