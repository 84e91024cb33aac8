"""Tag JSON exports: validate, merge a provider's files into one export, split an export back.

`project/tags/<provider>/*.json` are Ignition tag exports merged at the provider root in sorted file
order. The exporter writes one export per provider, rooted as the Tag Browser writes an export of
the whole provider (``{"name": "", "tagType": "Provider", "tags": [...]}``). The importer splits an
export back over the files the project already has: each tag goes to the file that held it, folders
that several files contribute to are split by child, new tags go to the first file of their folder
(or ``imported.json``), and a file whose content did not change keeps its bytes.
"""
from __future__ import annotations

import copy
import os

from harness.exporter_format import DeployError, Problem, dump_json, load_json_bytes

__all__ = [
    "DATA_TYPES",
    "TAG_TYPES",
    "load_provider_dir",
    "merge_provider",
    "provider_export",
    "read_tag_file",
    "root_items",
    "split_provider",
    "validate_tag_root",
]

TAG_TYPES = ("Provider", "Folder", "AtomicTag", "UdtType", "UdtInstance")
FOLDERISH = ("Provider", "Folder")
DATA_TYPES = (
    "Int1", "Int2", "Int4", "Int8", "Float4", "Float8", "Boolean", "String", "DateTime", "Text",
    "DataSet", "Document", "Int1Array", "Int2Array", "Int4Array", "Int8Array", "Float4Array",
    "Float8Array", "BooleanArray", "StringArray", "DateTimeArray", "ByteArray",
)
EVENT_IDS = ("valueChanged", "qualityChanged", "alarmActive", "alarmCleared", "alarmAcked")


def _kind(value):
    return {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}.get(
        type(value), "number")


def root_items(root, file):
    """(shape, items) of a tag export root: provider, tags ({"tags": [...]}), list or node."""
    if isinstance(root, list):
        return "list", root
    if not isinstance(root, dict):
        raise DeployError([Problem(file, "$", "expected a tag export object, got %s" % _kind(root))])
    if root.get("tagType") == "Provider":
        return "provider", root.get("tags", [])
    if "tagType" in root or "name" in root:
        return "node", [root]
    if "tags" in root:
        return "tags", root["tags"]
    raise DeployError([Problem(file, "$", "expected a tag export root (a Provider, a folder, a tag "
                                          "or {\"tags\": [...]})")])


def validate_tag_root(root, file):
    """Every structural problem of a tag export, as Problems with JSON paths."""
    problems = []
    try:
        shape, items = root_items(root, file)
    except DeployError as exc:
        return exc.problems
    if shape in ("provider", "tags"):
        base = "$.tags"
        if not isinstance(items, list):
            return [Problem(file, base, "expected array, got %s" % _kind(items))]
    elif shape == "list":
        base = "$"
    else:
        _validate_node(root, "$", file, problems)
        return problems
    for i, item in enumerate(items):
        _validate_node(item, "%s[%d]" % (base, i), file, problems)
    return problems


def _validate_node(node, where, file, problems):
    if not isinstance(node, dict):
        problems.append(Problem(file, where, "expected object, got %s" % _kind(node)))
        return
    name = node.get("name")
    if not isinstance(name, str) or (not name and node.get("tagType") != "Provider"):
        problems.append(Problem(file, where + ".name", "expected a non-empty tag name"))
    elif "/" in name or "[" in name or "]" in name:
        problems.append(Problem(file, where + ".name", "tag name %r contains '/', '[' or ']'" % name))
    tag_type = node.get("tagType", "AtomicTag")
    if tag_type not in TAG_TYPES:
        problems.append(Problem(file, where + ".tagType", "unknown tag type %r (expected one of %s)"
                                % (tag_type, ", ".join(TAG_TYPES))))
    data_type = node.get("dataType")
    if data_type is not None and not isinstance(data_type, dict) and data_type not in DATA_TYPES:
        problems.append(Problem(file, where + ".dataType", "unknown data type %r" % (data_type,)))
    if "typeId" in node and not isinstance(node["typeId"], str):
        problems.append(Problem(file, where + ".typeId", "expected string, got %s"
                                % _kind(node["typeId"])))
    params = node.get("parameters")
    if params is not None:
        if not isinstance(params, dict):
            problems.append(Problem(file, where + ".parameters", "expected object, got %s"
                                    % _kind(params)))
        else:
            for key, value in params.items():
                if isinstance(value, (dict, str, int, float, bool)) or value is None:
                    continue
                problems.append(Problem(file, "%s.parameters.%s" % (where, key),
                                        "expected a parameter object or value, got %s" % _kind(value)))
    scripts = node.get("eventScripts")
    if scripts is not None:
        if not isinstance(scripts, list):
            problems.append(Problem(file, where + ".eventScripts", "expected array, got %s"
                                    % _kind(scripts)))
        else:
            for i, script in enumerate(scripts):
                spot = "%s.eventScripts[%d]" % (where, i)
                if not isinstance(script, dict):
                    problems.append(Problem(file, spot, "expected object, got %s" % _kind(script)))
                    continue
                if script.get("eventid") not in EVENT_IDS:
                    problems.append(Problem(file, spot + ".eventid", "unknown tag event %r"
                                            % (script.get("eventid"),)))
                if not isinstance(script.get("script"), str):
                    problems.append(Problem(file, spot + ".script", "expected string, got %s"
                                            % _kind(script.get("script"))))
    children = node.get("tags")
    if children is not None:
        if not isinstance(children, list):
            problems.append(Problem(file, where + ".tags", "expected array, got %s" % _kind(children)))
            return
        for i, child in enumerate(children):
            _validate_node(child, "%s.tags[%d]" % (where, i), file, problems)


def read_tag_file(data, file):
    """Parse and validate one tag export; raise DeployError with every problem."""
    root = load_json_bytes(data, file)
    problems = validate_tag_root(root, file)
    if problems:
        raise DeployError(problems)
    return root


def _is_folder(node):
    return node.get("tagType") in FOLDERISH


def _own(node, prefix, owners, file):
    key = prefix + (node["name"],)
    owners[key] = file
    for child in node.get("tags") or []:
        if isinstance(child, dict):
            _own(child, key, owners, file)


def _merge_into(target, items, origin, owners, prefix, file):
    """Merge `items` (from `file`) into the list `target`; same-named folders merge by child."""
    by_name = {n["name"].lower(): n for n in target}
    for node in items:
        name = node["name"]
        key = prefix + (name,)
        if name.lower() not in by_name:
            clone = copy.deepcopy(node)
            target.append(clone)
            by_name[name.lower()] = clone
            _own(clone, prefix, owners, file)
            continue
        existing = by_name[name.lower()]
        key = prefix + (existing["name"],)
        if _is_folder(existing) and _is_folder(node):
            for prop, value in node.items():
                if prop in ("tags", "name"):
                    continue
                if existing.get(prop, value) != value:
                    raise DeployError([Problem(file, "/".join(key), "folder property %r differs from "
                                               "%s" % (prop, owners[key]))])
                existing[prop] = value
            existing.setdefault("tags", [])
            _merge_into(existing["tags"], node.get("tags", []), origin, owners, key, file)
        else:
            raise DeployError([Problem(file, "/".join(key), "tag is also defined in %s"
                                       % owners[key])])


def merge_provider(files, label=""):
    """Merge {file name: root} (sorted by name) into one list of top-level tags.

    `label` is the folder problems name the files by (``tags/default``).
    """
    merged, owners = [], {}
    for name in sorted(files):
        shown = "%s/%s" % (label, name) if label else name
        _shape, items = root_items(files[name], shown)
        _merge_into(merged, items, shown, owners, (), shown)
    return merged


def provider_export(items):
    """A provider export root as the Tag Browser writes one for a whole provider."""
    return {"name": "", "tagType": "Provider", "tags": items}


_EMPTY = ("", "<empty folders>")  # index key of the set of folders a file declares empty


def _paths(items, prefix, out):
    """out {lower-cased path tuple: the node's own properties (without children)}."""
    for node in items:
        key = prefix + (node["name"].lower(),)
        out[key] = {k: v for k, v in node.items() if k != "tags"}
        if _is_folder(node) and not node.get("tags"):
            out.setdefault(_EMPTY, set()).add(key)
        if _is_folder(node):
            _paths(node.get("tags", []), key, out)


def _assign(items, prefix, index, candidates, default, out):
    """Distribute `items` over files: out {file: [nodes]}."""
    for node in items:
        key = prefix + (node["name"].lower(),)
        owners = [f for f in index if key in index[f]]
        if len(owners) > 1 and _is_folder(node):
            sub = {}
            _assign(node.get("tags", []), key, index, owners, default, sub)
            # a file keeps its part of a shared folder while that part holds something, or when
            # the file itself declared the folder empty
            keep = [f for f in owners if sub.get(f) or key in index[f].get(_EMPTY, ())] or \
                owners[:1]
            props = {k: v for k, v in node.items() if k not in ("tags", "name")}
            merged = {}
            for f in owners:
                merged.update(index[f][key])
            merged.pop("name", None)
            for f in keep:
                # unchanged folder properties stay as each file wrote them (name spelling too)
                shell = dict(index[f][key]) if props == merged else dict(props)
                shell["name"] = index[f][key]["name"]
                shell["tags"] = sub.get(f, [])
                out.setdefault(f, []).append(shell)
        elif owners:
            out.setdefault(owners[0], []).append(node)
        else:
            out.setdefault(candidates[0] if candidates else default, []).append(node)


def _reorder(items, original):
    """`items` in the order `original` (a file's old list) had them; new ones after, in order."""
    position = {n["name"].lower(): i for i, n in enumerate(original) if isinstance(n, dict)}
    before = {n["name"].lower(): n for n in original if isinstance(n, dict)}
    ordered = sorted(enumerate(items), key=lambda pair: (
        position.get(pair[1]["name"].lower(), len(position)), pair[0]))
    result = []
    for _index, node in ordered:
        old = before.get(node["name"].lower())
        if _is_folder(node) and old is not None and isinstance(old.get("tags"), list) and \
                isinstance(node.get("tags"), list):
            node = dict(node)
            node["tags"] = _reorder(node["tags"], old["tags"])
        result.append(node)
    return result


def split_provider(items, existing, default_name="imported.json", whole=True):
    """Split merged top-level `items` over the provider's existing files.

    `existing` maps file name → (bytes, parsed root). Returns {file name: bytes or None}: None means
    the file is to be removed (a whole-provider import no longer holds any of its tags). A file whose
    new content equals its old content keeps its old bytes.
    """
    index, shapes = {}, {}
    for name in sorted(existing):
        shape, file_items = root_items(existing[name][1], name)
        shapes[name] = shape
        index[name] = {}
        _paths(file_items, (), index[name])
    if not existing:
        return {"tags.json": dump_json(provider_export(items))}
    if not whole:
        # only the imported top-level tags change; the rest of the provider stays as it is
        current = merge_provider({n: existing[n][1] for n in existing})  # validated on load
        names = {n["name"].lower() for n in items}
        items = [n for n in current if n["name"].lower() not in names] + list(items)
    out = {}
    _assign(items, (), index, None, default_name, out)
    result = {}
    for name in sorted(set(existing) | set(out)):
        file_items = out.get(name, [])
        if name not in existing:
            result[name] = dump_json({"tags": file_items})
            continue
        old_bytes, old_root = existing[name]
        shape = shapes[name]
        file_items = _reorder(file_items, root_items(old_root, name)[1])
        if not file_items:
            result[name] = None
            continue
        if shape in ("provider", "tags"):
            new_root = dict(old_root)
            new_root["tags"] = file_items
        elif shape == "list":
            new_root = file_items
        elif len(file_items) == 1:
            new_root = file_items[0]
        else:
            new_root = {"tags": file_items}
        result[name] = old_bytes if new_root == old_root else dump_json(new_root)
    return result


def load_provider_dir(directory, label):
    """{file name: (bytes, root)} of the *.json files of one provider folder (validated).

    `label` is how problems name the folder (``tags/default``).
    """
    found = {}
    if not os.path.isdir(directory):
        return found
    problems = []
    for name in sorted(os.listdir(directory)):
        if not name.endswith(".json"):
            continue
        with open(os.path.join(directory, name), "rb") as handle:
            data = handle.read()
        try:
            found[name] = (data, read_tag_file(data, label + "/" + name))
        except DeployError as exc:
            problems.extend(exc.problems)
    if problems:
        raise DeployError(problems)
    return found
