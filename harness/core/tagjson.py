"""Ignition tag JSON exports: validated into a tree of `ConfigNode`s, and written back.

A node keeps its configuration exactly as exported (only non-default properties, bindings as
dicts), so saving a loaded model reproduces the export. Validation errors name the source and the
JSON path of the bad node, e.g. `plant.json: $.tags[2].tags[0].dataType: unknown data type 'Int9'`.
"""
from __future__ import absolute_import, division, print_function

import json

from .compat import string_types
from .datatypes import DATA_TYPES
from .errors import MalformedTagExport

__all__ = ["ConfigNode", "TAG_TYPES", "VALUE_SOURCES", "dumps", "loads", "to_json_dict"]

TAG_TYPES = ("Provider", "Folder", "AtomicTag", "UdtType", "UdtInstance")
VALUE_SOURCES = ("memory", "opc", "expr", "reference", "derived", "db", "query")
TYPES_FOLDER = "_types_"


class ConfigNode(object):
    """One node of a tag export: its name, tagType, own properties and child nodes."""

    __slots__ = ("name", "tag_type", "config", "children", "origin")

    def __init__(self, name, tag_type, config=None, children=None, origin=None):
        self.name = name
        self.tag_type = tag_type
        self.config = config if config is not None else {}
        self.children = children if children is not None else []
        self.origin = origin

    def child(self, name):
        """The child called `name` (case-insensitive), or None."""
        lowered = name.lower()
        for node in self.children:
            if node.name.lower() == lowered:
                return node
        return None

    def copy(self):
        return ConfigNode(self.name, self.tag_type, dict(self.config),
                          [c.copy() for c in self.children], self.origin)

    def __repr__(self):
        return "ConfigNode(%r, %r)" % (self.name, self.tag_type)


def _is_data_type(value):
    return value in DATA_TYPES or (isinstance(value, string_types) and value.endswith("Array"))


def _check(condition, source, json_path, problem):
    if not condition:
        raise MalformedTagExport(source, json_path, problem)


def _parse_node(raw, source, json_path, is_root=False):
    _check(isinstance(raw, dict), source, json_path, "expected a tag object, got %s" % type(raw).__name__)
    config = dict(raw)
    children_raw = config.pop("tags", [])
    name = config.pop("name", None)
    tag_type = config.pop("tagType", None)
    if tag_type is None:
        if is_root and name in (None, ""):
            tag_type = "Provider"
        elif "typeId" in config:
            tag_type = "UdtInstance"
        else:
            tag_type = "Folder" if children_raw else "AtomicTag"
    _check(tag_type in TAG_TYPES, source, json_path + ".tagType", "unknown tagType %r" % (tag_type,))
    if tag_type != "Provider":
        _check(isinstance(name, string_types) and name.strip() != "", source, json_path + ".name",
               "a %s needs a non-empty name" % tag_type)
        _check("/" not in name and "." not in name and "[" not in name, source, json_path + ".name",
               "tag name %r contains '/', '.' or '['" % (name,))
    _check(isinstance(children_raw, list), source, json_path + ".tags", "expected a list of tags")
    if "dataType" in config:
        _check(_is_data_type(config["dataType"]), source, json_path + ".dataType",
               "unknown data type %r" % (config["dataType"],))
    if "valueSource" in config:
        _check(config["valueSource"] in VALUE_SOURCES, source, json_path + ".valueSource",
               "unknown value source %r" % (config["valueSource"],))
    if tag_type == "UdtInstance":
        _check(isinstance(config.get("typeId"), string_types) and config.get("typeId"), source,
               json_path + ".typeId", "a UdtInstance needs a typeId")
    if "parameters" in config:
        _check(isinstance(config["parameters"], dict), source, json_path + ".parameters",
               "expected an object of parameters")
    scripts = config.get("eventScripts")
    if scripts is not None:
        _check(isinstance(scripts, list), source, json_path + ".eventScripts", "expected a list")
        for index, entry in enumerate(scripts):
            where = "%s.eventScripts[%d]" % (json_path, index)
            _check(isinstance(entry, dict) and isinstance(entry.get("eventid"), string_types)
                   and isinstance(entry.get("script"), string_types), source, where,
                   "an event script needs string 'eventid' and 'script'")
    children = [_parse_node(child, source, "%s.tags[%d]" % (json_path, i))
                for i, child in enumerate(children_raw)]
    return ConfigNode(name or u"", tag_type, config, children, "%s: %s" % (source, json_path))


def loads(text, source="<tags>"):
    """Parse an export (string) into a list of top-level ConfigNodes for a provider's root.

    Accepted roots, as gateways write them: a Provider object (its children are returned), a
    `_types_` folder, any folder or tag, or a list of those.
    """
    try:
        raw = json.loads(text)
    except ValueError as error:
        raise MalformedTagExport(source, "$", "not valid JSON (%s)" % (error,))
    if isinstance(raw, list):
        return [_parse_node(node, source, "$[%d]" % i) for i, node in enumerate(raw)]
    root = _parse_node(raw, source, "$", is_root=True)
    if root.tag_type == "Provider":
        return root.children
    return [root]


def to_json_dict(node):
    """The export form of a ConfigNode (name and tagType first, children under "tags")."""
    result = {"name": node.name, "tagType": node.tag_type}
    for key in node.config:
        result[key] = node.config[key]
    if node.children or node.tag_type in ("Folder", "UdtType", "Provider"):
        if node.children:
            result["tags"] = [to_json_dict(child) for child in node.children]
    return result


def dumps(nodes, indent=2):
    """An export of a provider root holding `nodes`, as Ignition's Tag Browser writes one."""
    root = {"name": "", "tagType": "Provider", "tags": [to_json_dict(n) for n in nodes]}
    return json.dumps(root, indent=indent, sort_keys=False, separators=(",", ": "))
