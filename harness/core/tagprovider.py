"""The running tag providers: values with quality and timestamps, reads, writes and tag events.

`TagRuntime` turns the resolved `TagModel` into live tags and implements what `system.tag` and the
device side (OPC subscriptions, the simulator) need. Ignition's behaviour it keeps:
- a read of a missing path gives a value of None with Bad_NotFound, never an exception;
- a write that cannot be coerced gives a bad QualityCode for that slot and the others proceed;
- `valueChanged` runs when the value changes, `qualityChanged` when the quality does; every tag
  with a script gets an initial event (initialChange=True, previousValue None) when it starts;
- memory and (device-less) OPC tags hold what is written; reference tags read and write their
  source; expression, derived and query tags are not evaluated here and read Bad_Unsupported.
An OPC tag whose server has a device attached (`attach_device`) forwards writes to it; the device
reports values back through `update()`, as a subscription does.
"""
from __future__ import absolute_import, division, print_function

import fnmatch
import json

from . import tagjson
from .compat import string_types, text_type
from .datatypes import CoercionFailed, coerce, default_value
from .errors import UnknownTagPath
from .paths import TagPath, parse_path
from .quality import QualityCode
from .values import QualifiedValue

__all__ = ["BrowseResults", "RuntimeTag", "TagInfo", "TagRuntime"]

_UNEVALUATED = ("expr", "derived", "db", "query")
_CONFIG_PROPERTIES = {"name": "name", "tagtype": "tagType", "datatype": "dataType",
                      "valuesource": "valueSource"}


class TagInfo(dict):
    """The read-only `tag` argument of tag event scripts: its configuration, name, path, parameters."""

    def __setitem__(self, key, value):
        raise TypeError("the tag object of an event script is read-only")


class RuntimeTag(object):
    """A live atomic tag: its resolved node, current QualifiedValue and compiled event scripts."""

    __slots__ = ("node", "qv", "scripts", "listeners", "source")

    def __init__(self, node, qv):
        self.node = node
        self.qv = qv
        self.scripts = {}
        self.listeners = []
        self.source = None

    @property
    def path(self):
        return self.node.path


class BrowseResults(object):
    """What system.tag.browse returns: `.results` / `getResults()`, iterable, with a size."""

    def __init__(self, results):
        self.results = results

    def getResults(self):
        return self.results

    def getReturnedSize(self):
        return len(self.results)

    def getTotalAvailableSize(self):
        return len(self.results)

    def __iter__(self):
        return iter(self.results)

    def __len__(self):
        return len(self.results)


class TagRuntime(object):
    """Live tags of every provider in a TagModel."""

    def __init__(self, model, clock, dispatcher, compile_event_script, default_provider="default"):
        self.model = model
        self.clock = clock
        self.dispatcher = dispatcher
        self.default_provider = default_provider
        self._compile = compile_event_script
        self._nodes = {}
        self._tags = {}
        self._references = {}
        self._devices = {}
        self._subscriptions = []
        self._base_stack = []
        for provider in sorted(model.providers):
            self._rebuild(provider)

    # -- building -----------------------------------------------------------------------------
    def _rebuild(self, provider):
        previous = self._tags.get(provider, {})
        nodes, tags = {}, {}
        for top in self.model.resolve(provider):
            self._index(top, nodes, tags, previous)
        self._nodes[provider], self._tags[provider] = nodes, tags
        self._link_references()
        for subscription in self._subscriptions:
            subscription.attach(self)
        fresh = [tag for key, tag in sorted(tags.items()) if key not in previous]
        return fresh

    def _index(self, node, nodes, tags, previous):
        key = node.path.key()
        nodes[key] = node
        if node.tag_type == "AtomicTag":
            old = previous.get(key)
            tag = RuntimeTag(node, old.qv if old is not None else self._initial_value(node))
            for entry in node.config.get("eventScripts", []):
                if entry.get("enabled", True) is not False:
                    tag.scripts[entry["eventid"]] = self._compile(node, entry["eventid"], entry["script"])
            tags[key] = tag
        for child in node.children:
            self._index(child, nodes, tags, previous)

    def _initial_value(self, node):
        now = self.clock.now()
        if node.value_source in _UNEVALUATED:
            return QualifiedValue(None, QualityCode.Bad_Unsupported.derive(
                "%s tags are not evaluated by the harness" % node.value_source), now)
        if node.config.get("enabled") is False:
            return QualifiedValue(None, QualityCode.Bad_Disabled, now)
        value = node.config.get("value", default_value(node.data_type))
        try:
            value = coerce(value, node.data_type)
        except CoercionFailed as failure:
            return QualifiedValue(None, failure.quality, now)
        return QualifiedValue(value, QualityCode.Good, now)

    def _link_references(self):
        self._references = {}
        for provider, tags in self._tags.items():
            for tag in tags.values():
                if tag.node.value_source == "reference":
                    source = parse_path(tag.node.config.get("sourceTagPath", u""), provider,
                                        tag.path.getParentPath())
                    tag.source = source
                    self._references.setdefault((source.provider, source.key()), []).append(tag)

    def start(self):
        """Queue the initial event of every tag that has a script (at gateway start)."""
        for provider in sorted(self._tags):
            self._fire_initial(sorted(self._tags[provider].items()))

    def _fire_initial(self, items):
        for _, tag in items:
            if "valueChanged" in tag.scripts:
                self._post_script(tag, "valueChanged", None, self._current(tag), True)

    # -- lookup ---------------------------------------------------------------------------------
    @property
    def base(self):
        """The folder `[.]` means: that of the tag whose event script is running, if any."""
        return self._base_stack[-1] if self._base_stack else None

    def parse(self, path):
        return parse_path(path, self.default_provider, self.base)

    def find_tag(self, path):
        """The RuntimeTag at `path` (string or TagPath), or None."""
        parsed = self.parse(path)
        return self._tags.get(parsed.provider, {}).get(parsed.key())

    def find_node(self, path):
        parsed = self.parse(path)
        return self._nodes.get(parsed.provider, {}).get(parsed.key())

    def providers(self):
        return sorted(self._tags)

    def atomic_tags(self):
        """Every live atomic tag, sorted by path."""
        result = []
        for provider in sorted(self._tags):
            result.extend(tag for _, tag in sorted(self._tags[provider].items()))
        return result

    def _current(self, tag):
        if tag.source is not None:
            source = self._tags.get(tag.source.provider, {}).get(tag.source.key())
            if source is None:
                return QualifiedValue(None, QualityCode.Bad_ReferenceNotFound, tag.qv.timestamp)
            return self._current(source)
        return tag.qv

    # -- reads ----------------------------------------------------------------------------------
    def read(self, path):
        """The QualifiedValue at `path` (a property when the path names one)."""
        try:
            parsed = self.parse(path)
        except ValueError as error:
            return QualifiedValue(None, QualityCode.Error_InvalidPathSyntax.derive(text_type(error)),
                                  self.clock.now())
        node = self._nodes.get(parsed.provider, {}).get(parsed.key())
        if node is None:
            return QualifiedValue(None, QualityCode.Bad_NotFound, self.clock.now())
        tag = self._tags[parsed.provider].get(parsed.key())
        prop = (parsed.prop or "value").lower()
        if prop == "value":
            if tag is None:
                return QualifiedValue(None, QualityCode.Good, self.clock.now())
            return self._current(tag)
        if tag is not None and prop in ("quality", "timestamp"):
            current = self._current(tag)
            value = current.quality if prop == "quality" else current.timestamp
            return QualifiedValue(value, QualityCode.Good, current.timestamp)
        config_key = _CONFIG_PROPERTIES.get(prop)
        if config_key == "name":
            return QualifiedValue(node.name, QualityCode.Good, self.clock.now())
        if config_key == "tagType":
            return QualifiedValue(node.tag_type, QualityCode.Good, self.clock.now())
        if config_key == "dataType" and tag is not None:
            return QualifiedValue(node.data_type, QualityCode.Good, self.clock.now())
        if config_key == "valueSource" and tag is not None:
            return QualifiedValue(node.value_source, QualityCode.Good, self.clock.now())
        for key, value in node.config.items():
            if key.lower() == prop:
                return QualifiedValue(value, QualityCode.Good, self.clock.now())
        return QualifiedValue(None, QualityCode.Bad_NotFound, self.clock.now())

    def exists(self, path):
        try:
            return self.find_node(path) is not None
        except ValueError:
            return False

    # -- writes ---------------------------------------------------------------------------------
    def write(self, path, value):
        """Write `value` like system.tag.writeBlocking does for one path; returns a QualityCode."""
        try:
            parsed = self.parse(path)
        except ValueError as error:
            return QualityCode.Error_InvalidPathSyntax.derive(text_type(error))
        if parsed.provider not in self._tags:
            raise UnknownTagPath("tag provider %r does not exist (path %r)" % (parsed.provider, path))
        tag = self._tags[parsed.provider].get(parsed.key())
        if tag is None:
            return QualityCode.Bad_NotFound
        if parsed.prop and parsed.prop.lower() != "value":
            return QualityCode.Bad_ReadOnly.derive(
                "the harness writes tag values only, not the property %r" % (parsed.prop,))
        if tag.source is not None:
            return self.write(tag.source, value)
        node = tag.node
        if node.config.get("enabled") is False:
            return QualityCode.Bad_Disabled
        if node.config.get("readOnly") or node.value_source in _UNEVALUATED:
            return QualityCode.Bad_ReadOnly
        if isinstance(value, QualifiedValue):
            value = value.value
        try:
            coerced = coerce(value, node.data_type)
        except CoercionFailed as failure:
            return failure.quality
        if node.value_source == "opc":
            device = self._devices.get(node.config.get("opcServer"))
            if device is not None:
                return device.write(node.config.get("opcItemPath"), coerced, node)
        self._apply(tag, QualifiedValue(coerced, QualityCode.Good, self.clock.now()))
        return QualityCode.Good

    def update(self, path, value, quality=None, timestamp=None):
        """A device-side change (what an OPC subscription delivers); fires events like any change.

        A value that does not fit the tag's type lands as None with the conversion's quality.
        """
        tag = path if isinstance(path, RuntimeTag) else self.find_tag(path)
        if tag is None:
            raise UnknownTagPath("no tag at %r to update" % (path,))
        quality = QualityCode.Good if quality is None else quality
        if isinstance(quality, string_types):
            quality = QualityCode.byName(quality)
        try:
            value = coerce(value, tag.node.data_type)
        except CoercionFailed as failure:
            value, quality = None, failure.quality
        self._apply(tag, QualifiedValue(value, quality, timestamp or self.clock.now()))

    def attach_device(self, opc_server, device):
        """Route writes of OPC tags on `opc_server` to `device.write(item_path, value, node)`."""
        self._devices[opc_server] = device

    def detach_device(self, opc_server):
        self._devices.pop(opc_server, None)

    def _apply(self, tag, new):
        previous = tag.qv
        tag.qv = new
        changes = set()
        if previous.value != new.value or type(previous.value) is not type(new.value):
            changes.add("value")
        if previous.quality != new.quality:
            changes.add("quality")
        if previous.timestamp != new.timestamp:
            changes.add("timestamp")
        self._notify(tag, previous, new, changes)
        for reference in self._references.get((tag.path.provider, tag.path.key()), []):
            self._notify(reference, previous, new, changes)

    def _notify(self, tag, previous, new, changes):
        if "value" in changes and "valueChanged" in tag.scripts:
            self._post_script(tag, "valueChanged", previous, new, False)
        if "quality" in changes and "qualityChanged" in tag.scripts:
            self._post_script(tag, "qualityChanged", previous, new, False)
        for listener in list(tag.listeners):
            listener(tag, previous, new, changes)

    def _post_script(self, tag, eventid, previous, current, initial):
        function = tag.scripts[eventid]
        info = self._tag_info(tag)
        path = text_type(tag.path)

        def run(missed):
            self._base_stack.append(tag.path.getParentPath())
            try:
                function(info, path, previous, current, initial, missed)
            finally:
                self._base_stack.pop()

        self.dispatcher.post_tag_event((tag.path.provider, tag.path.key()),
                                       "%s %s" % (path, eventid), run)

    def _tag_info(self, tag):
        info = dict(tag.node.config)
        info.update({"name": tag.node.name, "path": text_type(tag.path),
                     "tagPath": text_type(tag.path), "parameters": dict(tag.node.parameters),
                     "tagType": "AtomicTag", "dataType": tag.node.data_type,
                     "valueSource": tag.node.value_source})
        return TagInfo(info)

    # -- subscriptions (gateway tag-change scripts, bridges) ------------------------------------
    def subscribe(self, paths, callback):
        """Call `callback(path, previous, current, changes, initial)` on changes of `paths`.

        Paths that do not exist yet are attached when a configure() creates them.
        """
        subscription = _Subscription([self.parse(p) for p in paths], callback)
        self._subscriptions.append(subscription)
        subscription.attach(self)
        return subscription

    # -- configuration --------------------------------------------------------------------------
    def browse(self, path, filters=None):
        filters = dict(filters or {})
        parsed = self.parse(path) if path else TagPath(self.default_provider, [])
        if not parsed.parts:
            children = [n for n in self._nodes.get(parsed.provider, {}).values() if len(n.path.parts) == 1]
            children.sort(key=lambda n: n.name.lower())
        else:
            node = self._nodes.get(parsed.provider, {}).get(parsed.key())
            children = list(node.children) if node is not None else []
        results = []
        self._browse_into(children, filters, results)
        return BrowseResults(results)

    def _browse_into(self, children, filters, results):
        for node in children:
            if _matches(node, filters):
                entry = {"fullPath": node.path, "name": node.name, "tagType": node.tag_type,
                         "hasChildren": bool(node.children)}
                if node.tag_type == "AtomicTag":
                    tag = self._tags[node.path.provider][node.path.key()]
                    current = self._current(tag)
                    entry.update({"valueSource": node.value_source, "dataType": node.data_type,
                                  "value": current.value, "quality": current.quality})
                if node.tag_type == "UdtInstance":
                    entry["typeId"] = node.config.get("typeId")
                results.append(entry)
            if filters.get("recursive"):
                self._browse_into(node.children, filters, results)

    def configure(self, base_path, tags, collision_policy="o"):
        """Add or change configuration under `base_path`; one QualityCode per top-level item."""
        if isinstance(tags, string_types):
            tags = json.loads(tags)
        if isinstance(tags, dict):
            tags = [tags]
        if collision_policy not in ("a", "o", "i", "m"):
            raise ValueError("unknown collision policy %r (expected a, o, i or m)" % (collision_policy,))
        base = parse_path(base_path, self.default_provider, self.base) if base_path else \
            TagPath(self.default_provider, [])
        roots = self.model.providers.setdefault(base.provider, [])
        siblings = _config_children(roots, base.parts)
        results = []
        for index, raw in enumerate(tags):
            node = tagjson._parse_node(raw, "configure(%s)" % base, "$[%d]" % index)
            existing = _named(siblings, node.name)
            if existing is None:
                siblings.append(node)
            elif collision_policy == "a":
                raise ValueError("a tag called %r already exists under %s (collision policy 'a')"
                                 % (node.name, base))
            elif collision_policy == "o":
                siblings[siblings.index(existing)] = node
            elif collision_policy == "m":
                existing.config.update(node.config)
                for child in node.children:
                    _replace_child(existing.children, child)
            results.append(QualityCode.Good)
        fresh = self._rebuild(base.provider)
        self._fire_initial([(t.path.key(), t) for t in fresh])
        return results

    def get_configuration(self, path, recursive=False):
        parsed = self.parse(path) if path else TagPath(self.default_provider, [])
        roots = self.model.providers.get(parsed.provider, [])
        if not parsed.parts:
            node = tagjson.ConfigNode(u"", "Provider", {}, roots)
        else:
            node = _find_config(roots, parsed.parts)
        if node is None:
            resolved = self.find_node(parsed)
            if resolved is None:
                return []
            node = tagjson.ConfigNode(resolved.name, resolved.tag_type, dict(resolved.config))
        result = tagjson.to_json_dict(node)
        result["path"] = text_type(parsed.without_property())
        if not recursive:
            result.pop("tags", None)
        return [result]

    def delete(self, path):
        parsed = self.parse(path)
        roots = self.model.providers.get(parsed.provider, [])
        siblings = _find_siblings(roots, parsed.parts)
        if siblings is None:
            return QualityCode.Bad_NotFound
        siblings[:] = [n for n in siblings if n.name.lower() != parsed.parts[-1].lower()]
        self._rebuild(parsed.provider)
        return QualityCode.Good


class _Subscription(object):
    def __init__(self, paths, callback):
        self.paths = paths
        self.callback = callback
        self.attached = set()

    def attach(self, runtime):
        for path in self.paths:
            tag = runtime._tags.get(path.provider, {}).get(path.key())
            if tag is not None and self._listener not in tag.listeners:
                tag.listeners.append(self._listener)

    def _listener(self, tag, previous, current, changes):
        self.callback(tag.path, previous, current, changes, False)


def _matches(node, filters):
    name = filters.get("name")
    if name and not fnmatch.fnmatchcase(node.name.lower(), name.lower()):
        return False
    for key, actual in (("tagType", node.tag_type), ("typeId", node.config.get("typeId")),
                        ("dataType", node.data_type if node.tag_type == "AtomicTag" else None),
                        ("valueSource", node.value_source if node.tag_type == "AtomicTag" else None)):
        wanted = filters.get(key)
        if wanted and (actual is None or wanted.lower() != text_type(actual).lower()):
            return False
    return True


def _named(siblings, name):
    """The config node called `name` (case-insensitive) among `siblings`, or None."""
    lowered = name.lower()
    for candidate in siblings:
        if candidate.name.lower() == lowered:
            return candidate
    return None


def _find_config(roots, parts):
    siblings, node = roots, None
    for part in parts:
        node = _named(siblings, part)
        if node is None:
            return None
        siblings = node.children
    return node


def _find_siblings(roots, parts):
    if len(parts) == 1:
        return roots
    parent = _find_config(roots, parts[:-1])
    return parent.children if parent is not None else None


def _config_children(roots, parts):
    """The children list of the config folder at `parts`, creating folders that are missing."""
    siblings = roots
    for part in parts:
        node = _named(siblings, part)
        if node is None:
            node = tagjson.ConfigNode(part, "Folder")
            siblings.append(node)
        siblings = node.children
    return siblings


def _replace_child(siblings, node):
    for index, existing in enumerate(siblings):
        if existing.name.lower() == node.name.lower():
            siblings[index] = node
            return
    siblings.append(node)
