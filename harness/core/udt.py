"""UDT resolution: definitions under `_types_`, inheritance, instance overrides, parameters.

A UdtInstance's effective members are its type's members (the type's own parent types first), with
the instance's stored overrides merged on top, member by member. Parameter references `{Name}` are
substituted in parameter bindings (`{"bindType": "parameter", "binding": "ns=2;s={Device}.X"}`)
and in the string properties that take parameters in Ignition (OPC address, expression, reference
source, documentation...). Built-in parameters: InstanceName, ParentInstanceName, RootInstanceName,
PathToParentFolder, TagName, PathToTag. An unknown reference is left as written, like the gateway.
"""
from __future__ import absolute_import, division, print_function

import re

from .compat import string_types, text_type
from .errors import TagConfigurationError
from .tagjson import TYPES_FOLDER, ConfigNode

__all__ = ["PARAMETERIZED_PROPERTIES", "effective_type", "merge_nodes", "parameter_values",
           "substitute"]

PARAMETERIZED_PROPERTIES = ("opcItemPath", "opcServer", "expression", "sourceTagPath",
                            "documentation", "tooltip", "engUnit", "formatString", "query",
                            "deriveExpressionGetter", "deriveExpressionSetter")
_REFERENCE = re.compile(r"\{([A-Za-z_][A-Za-z0-9_ ]*)\}")


def merge_nodes(base, override):
    """`override` laid over `base`: own properties replace, children merge by name, recursively."""
    config = dict(base.config)
    for key, value in override.config.items():
        if key == "parameters" and isinstance(value, dict) and isinstance(config.get(key), dict):
            merged = dict(config[key])
            for name, spec in value.items():
                merged[name] = _merge_parameter(merged.get(name), spec)
            config[key] = merged
        else:
            config[key] = value
    children = [child.copy() for child in base.children]
    for child in override.children:
        for index, existing in enumerate(children):
            if existing.name.lower() == child.name.lower():
                children[index] = merge_nodes(existing, child)
                break
        else:
            children.append(child.copy())
    tag_type = override.tag_type if override.tag_type else base.tag_type
    return ConfigNode(override.name or base.name, tag_type, config, children, override.origin)


def _merge_parameter(base_spec, override_spec):
    if isinstance(base_spec, dict) and isinstance(override_spec, dict):
        merged = dict(base_spec)
        merged.update(override_spec)
        return merged
    if isinstance(base_spec, dict) and not isinstance(override_spec, dict):
        merged = dict(base_spec)
        merged["value"] = override_spec
        return merged
    return override_spec


def _find_type(types_root, type_id):
    node = types_root
    for part in type_id.strip("/").split("/"):
        node = node.child(part) if node is not None else None
    return node


def effective_type(types_root, type_id, _seen=None):
    """The UdtType `type_id` (path under `_types_`) with its parent types merged in."""
    seen = _seen or []
    if type_id.lower() in seen:
        raise TagConfigurationError("UDT inheritance cycle: %s" % " -> ".join(seen + [type_id]))
    definition = _find_type(types_root, type_id) if types_root is not None else None
    if definition is None or definition.tag_type != "UdtType":
        raise TagConfigurationError("unknown UDT type %r (not found under %s)" % (type_id, TYPES_FOLDER))
    parent_id = definition.config.get("typeId")
    if parent_id:
        parent = effective_type(types_root, parent_id, seen + [type_id.lower()])
        return merge_nodes(parent, definition)
    return definition


def parameter_values(parameters, context):
    """Plain values of a `parameters` object (both export shapes), bindings resolved in `context`."""
    values = {}
    for name, spec in (parameters or {}).items():
        if isinstance(spec, dict) and "bindType" not in spec:
            value = spec.get("value")
        else:
            value = spec
        if isinstance(value, dict) and value.get("bindType") == "parameter":
            value = substitute(value.get("binding", u""), context)
        elif isinstance(value, string_types):
            value = substitute(value, context)
        values[name] = value
    return values


def _lookup(name, context):
    if name in context:
        return context[name]
    lowered = name.lower()
    for key in context:
        if key.lower() == lowered:
            return context[key]
    raise KeyError(name)


def substitute(text, context):
    """`text` with every `{Name}` found in `context` replaced by its value."""
    if not isinstance(text, string_types):
        return text

    def replace(match):
        try:
            value = _lookup(match.group(1), context)
        except KeyError:
            return match.group(0)
        return u"" if value is None else text_type(value)

    return _REFERENCE.sub(replace, text)


def resolve_property(key, value, context):
    """A property value with its parameter binding or references resolved."""
    if isinstance(value, dict) and value.get("bindType") == "parameter":
        return substitute(value.get("binding", u""), context)
    if key in PARAMETERIZED_PROPERTIES and isinstance(value, string_types):
        return substitute(value, context)
    return value
