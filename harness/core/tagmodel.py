"""The tag model: providers of exported tag configuration, resolved into concrete tags.

`TagModel` keeps each provider's configuration as exported (for getConfiguration and export) and
resolves it into `ResolvedNode`s: folders, UDT instances and atomic tags with full paths, UDT
members expanded and parameters substituted. Tools that only need addresses (the OPC UA simulator,
the linter) call `load_project_tags(project_dir)` and iterate `iter_atomic()`.
"""
from __future__ import absolute_import, division, print_function

import io
import os

from . import tagjson
from .compat import text_type
from .errors import TagConfigurationError
from .paths import TagPath
from .udt import effective_type, merge_nodes, parameter_values, resolve_property

__all__ = ["ResolvedNode", "TagModel", "load_project_tags"]


class ResolvedNode(object):
    """A concrete node: `path` (TagPath), `tag_type`, resolved `config`, `children`, `parameters`.

    For members of a UDT instance, `parameters` holds the instance's parameter values and
    `instance_path` the TagPath of the nearest instance.
    """

    __slots__ = ("name", "path", "tag_type", "config", "children", "parameters", "instance_path",
                 "origin")

    def __init__(self, name, path, tag_type, config, parameters=None, instance_path=None, origin=None):
        self.name = name
        self.path = path
        self.tag_type = tag_type
        self.config = config
        self.children = []
        self.parameters = parameters or {}
        self.instance_path = instance_path
        self.origin = origin

    @property
    def data_type(self):
        return self.config.get("dataType", "Int4")

    @property
    def value_source(self):
        return self.config.get("valueSource", "memory")

    def __repr__(self):
        return "ResolvedNode(%s, %s)" % (self.path, self.tag_type)


class TagModel(object):
    """Exported configuration per provider, and its resolution into concrete tags."""

    def __init__(self):
        self.providers = {}

    def add_export(self, provider, text, source="<tags>"):
        """Merge an export (JSON text) into `provider`'s root; folders merge, other nodes replace."""
        roots = self.providers.setdefault(provider, [])
        for node in tagjson.loads(text, source):
            _merge_into(roots, node)

    def types_root(self, provider):
        for node in self.providers.get(provider, []):
            if node.name == tagjson.TYPES_FOLDER:
                return node
        return None

    def resolve(self, provider):
        """The resolved top-level nodes of `provider` (definitions under `_types_` excluded)."""
        types_root = self.types_root(provider)
        resolved = []
        for node in self.providers.get(provider, []):
            if node.name == tagjson.TYPES_FOLDER:
                continue
            resolved.append(_resolve(node, TagPath(provider, []), types_root, None, {}, []))
        return resolved

    def iter_atomic(self):
        """Every resolved atomic tag of every provider, depth-first in export order."""
        for provider in sorted(self.providers):
            for node in self.resolve(provider):
                for leaf in _walk_atomic(node):
                    yield leaf

    def dumps(self, provider):
        """The export JSON of `provider`'s configuration."""
        return tagjson.dumps(self.providers.get(provider, []))


def _merge_into(siblings, node):
    for index, existing in enumerate(siblings):
        if existing.name.lower() == node.name.lower():
            if existing.tag_type == node.tag_type == "Folder":
                for child in node.children:
                    _merge_into(existing.children, child)
            else:
                siblings[index] = node
            return
    siblings.append(node)


def _walk_atomic(node):
    if node.tag_type == "AtomicTag":
        yield node
    for child in node.children:
        for leaf in _walk_atomic(child):
            yield leaf


def _builtins(path, instance_chain):
    context = {"TagName": path.itemName, "PathToTag": text_type(path)}
    if instance_chain:
        nearest = instance_chain[-1]
        context["InstanceName"] = nearest.itemName
        context["RootInstanceName"] = instance_chain[0].itemName
        context["ParentInstanceName"] = (instance_chain[-2].itemName if len(instance_chain) > 1
                                         else nearest.itemName)
        context["PathToParentFolder"] = u"/".join(nearest.parts[:-1])
    return context


def _resolve(node, parent_path, types_root, instance, params, instance_chain):
    path = parent_path.child(node.name)
    tag_type = node.tag_type
    if tag_type == "UdtInstance":
        try:
            definition = effective_type(types_root, node.config["typeId"])
        except TagConfigurationError as error:
            raise TagConfigurationError("%s (%s): %s" % (path, node.origin, error))
        node = merge_nodes(definition, node)
        node.tag_type = "UdtInstance"
        chain = instance_chain + [path]
        outer = dict(params)
        outer.update(_builtins(path, instance_chain))
        own = parameter_values(node.config.get("parameters"), outer)
        params = dict(params)
        params.update(own)
        instance, instance_chain = path, chain
    context = dict(params)
    context.update(_builtins(path, instance_chain))
    config = {}
    for key, value in node.config.items():
        config[key] = value if key in ("parameters", "eventScripts") else resolve_property(key, value, context)
    if tag_type == "UdtType":
        raise TagConfigurationError("%s (%s): a UdtType outside %s" % (path, node.origin, tagjson.TYPES_FOLDER))
    resolved = ResolvedNode(node.name, path, tag_type, config, params if instance else {}, instance,
                            node.origin)
    for child in node.children:
        resolved.children.append(_resolve(child, path, types_root, instance, params, instance_chain))
    return resolved


def load_project_tags(project_dir):
    """The TagModel of `project_dir/tags/<provider>/*.json` (files merged in sorted order)."""
    model = TagModel()
    tags_dir = os.path.join(project_dir, "tags")
    if not os.path.isdir(tags_dir):
        return model
    for provider in sorted(os.listdir(tags_dir)):
        folder = os.path.join(tags_dir, provider)
        if not os.path.isdir(folder):
            continue
        model.providers.setdefault(provider, [])
        for name in sorted(os.listdir(folder)):
            if name.endswith(".json"):
                with io.open(os.path.join(folder, name), encoding="utf-8") as handle:
                    model.add_export(provider, handle.read(), source=os.path.join("tags", provider, name))
    return model
