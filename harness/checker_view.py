"""Perspective view.json structure: the rules a view must meet, its scripts and its tag bindings.

`inspect_view(doc, file)` walks a parsed view once and returns a ViewReport: structural problems
(with the JSON path of each), every embedded script as a function the checker can compile
(component events, transforms, custom methods, message handlers) and every tag binding path.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from harness.exporter_format import Problem

__all__ = ["BINDING_TYPES", "EmbeddedScript", "TagRef", "ViewReport", "inspect_view"]

BINDING_TYPES = ("tag", "property", "expr", "expr-struct", "query", "http", "tag-history")
TRANSFORM_TYPES = ("script", "expression", "map", "format")
TAG_MODES = ("direct", "indirect", "expression")
_REF = re.compile(r"\{([^{}]+)\}")
_VIEW_PARAM = re.compile(r"\bview\.params\.([A-Za-z_][A-Za-z0-9_]*)")


@dataclass
class EmbeddedScript:
    """A script stored in a view: `header` is the def line Ignition wraps the body in."""

    where: str
    header: str
    body: str


@dataclass
class TagRef:
    """A tag path a binding reads; `path` is None when it depends on a runtime value."""

    where: str
    path: str | None
    raw: str


@dataclass
class ViewReport:
    problems: list = field(default_factory=list)
    scripts: list = field(default_factory=list)
    tags: list = field(default_factory=list)
    queries: list = field(default_factory=list)
    params_used: list = field(default_factory=list)   # (where, name) of each view.params.<name>


def _kind(value):
    return {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}.get(
        type(value), "number")


class _Walker:
    def __init__(self, file, params):
        self.file = file
        self.params = params
        self.report = ViewReport()

    def problem(self, where, message):
        self.report.problems.append(Problem(self.file, where, message))

    def expect(self, value, kind, where):
        if _kind(value) != kind:
            self.problem(where, "expected %s, got %s" % (kind, _kind(value)))
            return False
        return True

    def component(self, node, where):
        if not self.expect(node, "object", where):
            return
        if not isinstance(node.get("type"), str) or not node.get("type"):
            self.problem(where + ".type", "a component needs a type string")
        meta = node.get("meta")
        if self.expect(meta, "object", where + ".meta"):
            if not isinstance(meta.get("name"), str) or not meta["name"]:
                self.problem(where + ".meta.name", "a component needs a name")
        for key in ("props", "custom", "position"):
            if key in node:
                self.expect(node[key], "object", "%s.%s" % (where, key))
        self.prop_config(node.get("propConfig"), where + ".propConfig")
        self.events(node.get("events"), where + ".events")
        self.scripts(node.get("scripts"), where + ".scripts")
        children = node.get("children")
        if children is not None and self.expect(children, "array", where + ".children"):
            seen = {}
            for i, child in enumerate(children):
                spot = "%s.children[%d]" % (where, i)
                self.component(child, spot)
                name = child.get("meta", {}).get("name") if isinstance(child, dict) and \
                    isinstance(child.get("meta"), dict) else None
                if isinstance(name, str) and name:
                    if name in seen:
                        self.problem(spot + ".meta.name", "%r is also the name of %s; sibling "
                                                          "components need distinct names"
                                     % (name, seen[name]))
                    seen.setdefault(name, spot)

    def prop_config(self, config, where):
        if config is None or not self.expect(config, "object", where):
            return
        for key, entry in sorted(config.items()):
            spot = "%s[%r]" % (where, key)
            if not self.expect(entry, "object", spot):
                continue
            if "binding" in entry:
                self.binding(entry["binding"], spot + ".binding")
            if "onChange" in entry and self.expect(entry["onChange"], "object", spot + ".onChange"):
                script = entry["onChange"].get("script")
                if self.expect(script, "string", spot + ".onChange.script"):
                    self.add_script(spot + ".onChange.script",
                                    "def valueChanged(self, previousValue, currentValue, origin, "
                                    "missedEvents):", script)

    def binding(self, binding, where):
        if not self.expect(binding, "object", where):
            return
        kind = binding.get("type")
        if kind not in BINDING_TYPES:
            self.problem(where + ".type", "unknown binding type %r (expected one of %s)"
                         % (kind, ", ".join(BINDING_TYPES)))
            return
        config = binding.get("config")
        if not self.expect(config, "object", where + ".config"):
            return
        need = {"tag": "tagPath", "property": "path", "expr": "expression", "query": "queryPath"}
        if kind in need and not isinstance(config.get(need[kind]), str):
            self.problem("%s.config.%s" % (where, need[kind]), "a %s binding needs a %s string"
                         % (kind, need[kind]))
            return
        for name in sorted(set(_VIEW_PARAM.findall(json.dumps(config)))):
            self.report.params_used.append((where + ".config", name))
        if kind == "expr-struct":
            self.expect(config.get("struct"), "object", where + ".config.struct")
        if kind == "tag":
            self.tag_binding(config, where + ".config")
        if kind == "query":
            self.report.queries.append(TagRef(where + ".config.queryPath", config["queryPath"],
                                              config["queryPath"]))
        transforms = binding.get("transforms")
        if transforms is not None and self.expect(transforms, "array", where + ".transforms"):
            for i, transform in enumerate(transforms):
                self.transform(transform, "%s.transforms[%d]" % (where, i))

    def tag_binding(self, config, where):
        mode = config.get("mode", "direct")
        if mode not in TAG_MODES:
            self.problem(where + ".mode", "unknown tag binding mode %r (expected one of %s)"
                         % (mode, ", ".join(TAG_MODES)))
            return
        raw = config["tagPath"]
        if mode == "expression":
            return
        references = config.get("references", {})
        if mode == "indirect" and not self.expect(references, "object", where + ".references"):
            return
        path = raw
        for name in _REF.findall(raw):
            value = self.resolve(references.get(name) if mode == "indirect" else None, name)
            if value is None:
                path = None
                break
            path = path.replace("{%s}" % name, value)
        self.report.tags.append(TagRef(where + ".tagPath", path, raw))

    def resolve(self, reference, name):
        """A reference's literal value: a constant, or a view parameter's default; else None."""
        if reference is None:
            return None
        if not isinstance(reference, str):
            return str(reference)
        match = re.fullmatch(r"\{view\.params\.([A-Za-z0-9_]+)\}", reference.strip())
        if match:
            value = self.params.get(match.group(1))
            return value if isinstance(value, str) and value and "{" not in value else None
        return None if "{" in reference else reference

    def transform(self, transform, where):
        if not self.expect(transform, "object", where):
            return
        kind = transform.get("type")
        if kind not in TRANSFORM_TYPES:
            self.problem(where + ".type", "unknown transform type %r (expected one of %s)"
                         % (kind, ", ".join(TRANSFORM_TYPES)))
        elif kind == "script":
            if self.expect(transform.get("code"), "string", where + ".code"):
                self.add_script(where + ".code", "def transform(self, value, quality, timestamp):",
                                transform["code"])
        elif kind == "expression":
            self.expect(transform.get("expression"), "string", where + ".expression")
        elif kind == "map":
            self.expect(transform.get("mappings"), "array", where + ".mappings")

    def events(self, events, where):
        if events is None or not self.expect(events, "object", where):
            return
        for domain, handlers in sorted(events.items()):
            spot = "%s.%s" % (where, domain)
            if not self.expect(handlers, "object", spot):
                continue
            for name, actions in sorted(handlers.items()):
                hspot = "%s.%s" % (spot, name)
                if isinstance(actions, list):
                    for i, action in enumerate(actions):
                        self.action(action, "%s[%d]" % (hspot, i))
                else:
                    self.action(actions, hspot)

    def action(self, action, where):
        if not self.expect(action, "object", where):
            return
        if not isinstance(action.get("type"), str):
            self.problem(where + ".type", "an event action needs a type string")
            return
        config = action.get("config")
        if not self.expect(config, "object", where + ".config"):
            return
        if action["type"] == "script" and self.expect(config.get("script"), "string",
                                                      where + ".config.script"):
            self.add_script(where + ".config.script", "def runAction(self, event):",
                            config["script"])

    def scripts(self, scripts, where):
        if scripts is None or not self.expect(scripts, "object", where):
            return
        methods = scripts.get("customMethods", [])
        if self.expect(methods, "array", where + ".customMethods"):
            for i, method in enumerate(methods):
                spot = "%s.customMethods[%d]" % (where, i)
                if not self.expect(method, "object", spot):
                    continue
                name = method.get("name")
                params = method.get("params", [])
                if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z_]\w*", name):
                    self.problem(spot + ".name", "a custom method needs an identifier name")
                    continue
                if not isinstance(params, list) or not all(isinstance(p, str) for p in params):
                    self.problem(spot + ".params", "expected an array of parameter names")
                    continue
                if self.expect(method.get("script"), "string", spot + ".script"):
                    self.add_script(spot + ".script", "def %s(%s):" % (name, ", ".join(
                        ["self"] + params)), method["script"])
        handlers = scripts.get("messageHandlers", [])
        if self.expect(handlers, "array", where + ".messageHandlers"):
            for i, handler in enumerate(handlers):
                spot = "%s.messageHandlers[%d]" % (where, i)
                if not self.expect(handler, "object", spot):
                    continue
                if not isinstance(handler.get("messageType"), str):
                    self.problem(spot + ".messageType", "a message handler needs a messageType")
                if self.expect(handler.get("script"), "string", spot + ".script"):
                    self.add_script(spot + ".script", "def onMessageReceived(self, payload):",
                                    handler["script"])

    def add_script(self, where, header, body):
        self.report.scripts.append(EmbeddedScript(where, header, body))
        for name in sorted(set(_VIEW_PARAM.findall(body))):
            self.report.params_used.append((where, name))


def inspect_view(doc, file):
    """Check one parsed view.json; collect its scripts and tag bindings."""
    params = {}
    if isinstance(doc, dict) and isinstance(doc.get("params"), dict):
        params = doc["params"]
    walker = _Walker(file, params)
    if not walker.expect(doc, "object", "$"):
        return walker.report
    for key in ("params", "props", "custom"):
        if key in doc:
            walker.expect(doc[key], "object", "$." + key)
    walker.prop_config(doc.get("propConfig"), "$.propConfig")
    walker.events(doc.get("events"), "$.events")
    root = doc.get("root")
    if root is None:
        walker.problem("$.root", "a view needs a root container")
        return walker.report
    walker.component(root, "$.root")
    if isinstance(root, dict) and isinstance(root.get("type"), str) and root["type"] and \
            not root["type"].startswith("ia.container."):
        walker.problem("$.root.type", "the root component must be a container (ia.container.*), "
                                      "got %r" % root["type"])
    return walker.report
