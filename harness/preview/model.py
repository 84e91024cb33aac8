"""A running view in the preview: component state, bindings, and the Perspective script context.

A `Page` holds one `ViewInstance` (plus popups) for one browser tab of a `Session`. Each component
keeps its state as plain JSON-like dicts (`props`, `custom`, `position`, `meta`); `ViewInstance.refresh`
evaluates every binding into that state, and `Page.snapshot` is what the browser renders.

Scripts (component events, message handlers, script transforms) run in the gateway's project scope
(`system`, `mes`) with a `self` that behaves like Perspective's component object: `props`, `custom`,
`meta`, `position`, `view` (`params`, `custom`), `session` (`props`, `custom`), `page`, `parent`,
`children`, `getChild`, `getSibling`, `refreshBinding`.
"""
from __future__ import annotations

import copy
import datetime
import decimal
import json
import os
import re
import time
import traceback

from .expression import ExpressionError, evaluate

__all__ = ["BindingError", "Page", "Session", "ViewInstance", "load_view"]

# Props a component type has even when the view does not set them (what Perspective fills in).
DEFAULT_PROPS = {
    "ia.display.label": {"text": ""},
    "ia.input.button": {"text": "Button", "enabled": True},
    "ia.input.text-field": {"text": "", "placeholder": "", "enabled": True},
    "ia.input.password-field": {"text": "", "placeholder": "", "enabled": True},
    "ia.input.text-area": {"text": "", "placeholder": "", "enabled": True},
    "ia.input.numeric-entry-field": {"value": None, "enabled": True},
    "ia.input.dropdown": {"options": [], "value": None, "placeholder": {"text": "Select..."},
                          "enabled": True},
    "ia.input.checkbox": {"selected": False, "text": "", "enabled": True},
    "ia.display.table": {"data": [], "columns": [], "selection": {"mode": "single", "data": [],
                                                                "selectedRow": None}},
    "ia.display.markdown": {"source": ""},
    "ia.display.tree": {"items": []},
    "ia.chart.xy": {"dataSources": {}, "series": []},
}

_REF = re.compile(r"\{([^{}]+)\}")
_SCRIPT_CACHE = {}


class BindingError(Exception):
    """A binding could not produce a value (the preview shows it on the component)."""


def load_view(views_dir, path):
    """The parsed view.json of a view path such as "Dispatch/Station"."""
    file = os.path.join(views_dir, *path.strip("/").split("/")) + os.sep + "view.json"
    if not os.path.isfile(file):
        raise KeyError("no view %r (looked for %s)" % (path, file))
    with open(file, encoding="utf-8") as handle:
        return json.load(handle)


def get_path(root, parts):
    value = root
    for part in parts:
        if isinstance(value, dict) and part in value:
            value = value[part]
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return None
    return value


def set_path(root, parts, value):
    for part in parts[:-1]:
        if not isinstance(root.get(part), dict):
            root[part] = {}
        root = root[part]
    root[parts[-1]] = value


def plain(value):
    """A value as JSON-friendly plain data (datasets become lists of row dicts)."""
    if isinstance(value, Props):
        return plain(value._data)
    if isinstance(value, dict):
        return dict((str(k), plain(v)) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    if hasattr(value, "getColumnNames") and hasattr(value, "getRowCount"):
        names = list(value.getColumnNames())
        return [dict((name, plain(value.getValueAt(r, name))) for name in names)
                for r in range(value.getRowCount())]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


class Props(object):
    """Attribute access over a props dict, as Perspective scripts see `self.props`."""

    def __init__(self, data):
        object.__setattr__(self, "_data", data)

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        if name not in self._data:
            raise AttributeError("no property %r (has: %s)" % (name, ", ".join(sorted(self._data))))
        value = self._data[name]
        return Props(value) if isinstance(value, dict) else value

    def __setattr__(self, name, value):
        self._data[name] = plain(value)

    __getitem__ = __getattr__
    __setitem__ = __setattr__

    def get(self, name, default=None):
        return self[name] if name in self._data else default

    def __contains__(self, name):
        return name in self._data

    def keys(self):
        return list(self._data.keys())

    def __iter__(self):
        return iter(self._data)

    def __len__(self):
        return len(self._data)

    def __repr__(self):
        return "<props %r>" % (self._data,)


def compile_function(header, body, where):
    """A function from a Perspective script body (tab- or space-indented lines under `header`)."""
    key = (header, body)
    if key not in _SCRIPT_CACHE:
        lines = body.replace("\r\n", "\n").split("\n")
        if not any(line.strip() for line in lines):
            lines = ["pass"]
        indented = [line if line[:1] in ("\t", " ") or not line.strip() else "\t" + line for line in lines]
        source = header + "\n" + "\n".join(indented) + "\n"
        _SCRIPT_CACHE[key] = compile(source, "<%s>" % where, "exec")
    return _SCRIPT_CACHE[key]


class Component(object):
    def __init__(self, node, parent, view, cid):
        self.type = node.get("type", "")
        self.node = node
        self.parent = parent
        self.view = view
        self.cid = cid
        props = copy.deepcopy(DEFAULT_PROPS.get(self.type, {}))
        for key, value in copy.deepcopy(node.get("props", {})).items():
            if isinstance(value, dict) and isinstance(props.get(key), dict):
                props[key].update(value)
            else:
                props[key] = value
        self.state = {"props": props, "custom": copy.deepcopy(node.get("custom", {})),
                      "position": copy.deepcopy(node.get("position", {})),
                      "meta": copy.deepcopy(node.get("meta", {}))}
        self.name = self.state["meta"].get("name", "")
        self.bindings = Bindings(node.get("propConfig", {}))
        self.children = [Component(child, self, view, "%s/%d" % (cid, i))
                         for i, child in enumerate(node.get("children", []))]

    def walk(self):
        yield self
        for child in self.children:
            for node in child.walk():
                yield node

    def child(self, name):
        for child in self.children:
            if child.name == name:
                return child
        raise KeyError("%s has no child named %r" % (self.name, name))

    def events(self):
        names = []
        for group in ("component", "dom"):
            names.extend(sorted(self.node.get("events", {}).get(group, {})))
        return names

    def snapshot(self):
        return {"id": self.cid, "type": self.type, "name": self.name, "props": plain(self.state["props"]),
                "position": self.state["position"], "visible": self.state["meta"].get("visible", True),
                "events": self.events(), "errors": dict(self.bindings.errors),
                "children": [child.snapshot() for child in self.children]}


class Bindings(object):
    """The propConfig bindings of a component or view, with query caching per target."""

    def __init__(self, prop_config):
        self.entries = [(target, entry["binding"]) for target, entry in sorted(prop_config.items())
                        if isinstance(entry, dict) and isinstance(entry.get("binding"), dict)]
        self.on_change = dict((target, entry["onChange"]["script"]) for target, entry in prop_config.items()
                              if isinstance(entry, dict) and isinstance(entry.get("onChange"), dict)
                              and entry["onChange"].get("script"))
        self.errors = {}
        self.query_cache = {}   # target -> (key, monotonic time, value)
        self.stale = set()      # targets to evaluate afresh (refreshBinding)
        self.transform_cache = {}  # target -> (input JSON, transformed value)

    def get(self, target):
        for name, binding in self.entries:
            if name == target:
                return binding
        return None


class ViewInstance(object):
    """One view on a page: its params, custom props, component tree and binding evaluation."""

    def __init__(self, page, path, params=None, prefix="view"):
        self.page = page
        self.path = path
        self.doc = load_view(page.host.views_dir, path)
        self.state = {"params": copy.deepcopy(self.doc.get("params", {})),
                      "custom": copy.deepcopy(self.doc.get("custom", {}))}
        for key, value in (params or {}).items():
            self.state["params"][key] = value
        self.bindings = Bindings(self.doc.get("propConfig", {}))
        self.root = Component(self.doc.get("root", {"type": "ia.container.flex"}), None, self, prefix)

    # -- references ---------------------------------------------------------------------------
    def resolve(self, path, owner, value=None):
        """The value of a property reference such as `view.params.x` or `../Queue.props.data`."""
        path = path.strip()
        if path == "value":
            return value
        if path.startswith("value."):
            return get_path(value, path.split(".")[1:])
        head, _, rest = path.partition(".")
        parts = rest.split(".") if rest else []
        if head == "view":
            return get_path(self.state, parts)
        if head == "session":
            return get_path(self.page.session.state, parts)
        if head == "page":
            return get_path(self.page.state, parts)
        if head == "this" and owner is not None:
            return get_path(owner.state, parts)
        if head == "parent" and owner is not None and owner.parent is not None:
            return get_path(owner.parent.state, parts)
        if path.startswith((".", "/")):
            target, props = self.locate(path, owner)
            return get_path(target.state, props)
        raise BindingError("cannot resolve the reference {%s}" % path)

    def locate(self, path, owner):
        components, _, last = path.rpartition("/")
        name, _, props = last.partition(".")
        node = owner
        steps = components.split("/") + [name] if components or path.startswith("/") else [name]
        if path.startswith("/"):
            node, steps = self.root, steps[2:] if steps[1:2] == [self.root.name] else steps[1:]
        for step in steps:
            if step in ("", "."):
                continue
            if step == "..":
                node = node.parent if node is not None else None
            else:
                node = node.child(step) if node is not None else None
            if node is None:
                raise BindingError("cannot resolve the component path {%s}" % path)
        return node, props.split(".") if props else []

    def substitute(self, text, owner):
        return _REF.sub(lambda m: "%s" % (self.resolve(m.group(1), owner),), text)

    def expression(self, text, owner, value=None):
        return evaluate(text, lambda path: self.resolve(path, owner, value))

    # -- bindings ------------------------------------------------------------------------------
    def refresh(self, passes=2):
        for _ in range(passes):
            self._apply(self.bindings, self.state, None)
            for component in self.root.walk():
                self._apply(component.bindings, component.state, component)

    def _apply(self, bindings, state, owner):
        for target, binding in bindings.entries:
            parts = target.split(".")
            previous = get_path(state, parts)
            try:
                value = plain(self.evaluate(bindings, target, binding, owner))
                bindings.errors.pop(target, None)
            except (BindingError, ExpressionError) as error:
                bindings.errors[target] = str(error)
                value = None
            except Exception as error:  # a script transform or query failed: show it, keep going
                bindings.errors[target] = "%s: %s" % (type(error).__name__, error)
                value = None
            if value != previous:
                set_path(state, parts, value)
                if target in bindings.on_change:
                    self.page.run_change_script(owner, bindings.on_change[target], target, previous, value)

    def evaluate(self, bindings, target, binding, owner):
        value = self.source(bindings, target, binding, owner)
        return self.transformed(bindings, target, binding, owner, value)

    def source(self, bindings, target, binding, owner):
        kind = binding.get("type")
        config = binding.get("config", {})
        host = self.page.host
        if kind == "tag":
            value = host.read_tag(self.tag_path(config, owner))
        elif kind == "property":
            value = self.resolve(config.get("path", ""), owner)
        elif kind == "expr":
            value = self.expression(config.get("expression", ""), owner)
        elif kind == "query":
            value = self.query(bindings, target, config, owner)
        else:
            raise BindingError("binding type %r is not supported by the preview" % (kind,))
        return value

    def transformed(self, bindings, target, binding, owner, value):
        transforms = binding.get("transforms", [])
        if not transforms:
            bindings.stale.discard(target)
            return value
        # Like Perspective, transforms run when their input changes (or on refreshBinding), not on
        # every evaluation: a script transform that reads the database is not re-run each tick.
        key = json.dumps(plain(value), sort_keys=True, default=str)
        cached = bindings.transform_cache.get(target)
        if cached is not None and cached[0] == key and target not in bindings.stale:
            return cached[1]
        bindings.stale.discard(target)
        for transform in transforms:
            value = self.transform(transform, value, owner, target)
        bindings.transform_cache[target] = (key, value)
        return value

    def tag_path(self, config, owner):
        """The tag path a tag binding reads now (indirect references and expression mode resolved)."""
        mode = config.get("mode", "direct")
        path = config.get("tagPath", "")
        if mode == "indirect":
            refs = dict((k, self.substitute(v, owner)) for k, v in config.get("references", {}).items())
            path = _REF.sub(lambda m: "%s" % refs.get(m.group(1), m.group(0)), path)
        elif mode == "expression":
            path = "%s" % self.expression(path, owner)
        return path

    def query(self, bindings, target, config, owner):
        params = {}
        for name, text in sorted(config.get("parameters", {}).items()):
            params[name] = self.expression(text, owner) if isinstance(text, str) and text.strip() else text
        key = json.dumps([config.get("queryPath"), plain(params)], sort_keys=True)
        cached = bindings.query_cache.get(target)
        polling = config.get("polling", {})
        rate = float(polling.get("rate", 0) or 0) if polling.get("enabled") else 0
        due = cached is None or cached[0] != key or target in bindings.stale or \
            (rate > 0 and time.monotonic() - cached[1] >= rate)
        if not due:
            return cached[2]
        value = plain(self.page.host.named_query(config.get("queryPath", ""), params))
        bindings.query_cache[target] = (key, time.monotonic(), value)
        return value

    def transform(self, transform, value, owner, target):
        kind = transform.get("type")
        if kind == "script":
            code = compile_function("def transform(self, value, quality):", transform.get("code", ""),
                                    "transform %s" % target)
            namespace = self.page.host.script_globals()
            exec(code, namespace)
            return namespace["transform"](self.page.proxy(owner), value, "Good")
        if kind == "map":
            for mapping in transform.get("mappings", []):
                given = mapping.get("input")
                if transform.get("inputType") == "range" and isinstance(given, dict):
                    low, high = given.get("min"), given.get("max")
                    if value is not None and (low is None or value >= low) and (high is None or value <= high):
                        return mapping.get("output")
                elif given == value or ("%s" % given == "%s" % value):
                    return mapping.get("output")
            return transform.get("fallback")
        if kind == "expression":
            return self.expression(transform.get("expression", ""), owner, value)
        raise BindingError("transform type %r is not supported by the preview" % (kind,))

    def refresh_binding(self, owner, target):
        bindings = owner.bindings if owner is not None else self.bindings
        bindings.stale.add(target)
        self._apply(bindings, owner.state if owner is not None else self.state, owner)

    def find(self, cid):
        for component in self.root.walk():
            if component.cid == cid:
                return component
        return None


class ComponentProxy(object):
    """`self` in a component script."""

    def __init__(self, page, component):
        self._page, self._component = page, component

    props = property(lambda self: Props(self._component.state["props"]))
    custom = property(lambda self: Props(self._component.state["custom"]))
    meta = property(lambda self: Props(self._component.state["meta"]))
    position = property(lambda self: Props(self._component.state["position"]))
    view = property(lambda self: ViewProxy(self._page, self._component.view))
    session = property(lambda self: SessionProxy(self._page.session))
    page = property(lambda self: PageProxy(self._page))
    name = property(lambda self: self._component.name)

    @property
    def parent(self):
        parent = self._component.parent
        return ComponentProxy(self._page, parent) if parent is not None else None

    @property
    def children(self):
        return [ComponentProxy(self._page, child) for child in self._component.children]

    def getChild(self, path):
        node = self._component
        for name in path.split("/"):
            node = node.child(name)
        return ComponentProxy(self._page, node)

    def getSibling(self, name):
        if self._component.parent is None:
            raise KeyError("the root container has no siblings")
        return ComponentProxy(self._page, self._component.parent.child(name))

    def refreshBinding(self, target):
        self._component.view.refresh_binding(self._component, target)

    def __repr__(self):
        return "<component %s (%s)>" % (self._component.name, self._component.type)


class ViewProxy(object):
    def __init__(self, page, view):
        self._page, self._view = page, view

    params = property(lambda self: Props(self._view.state["params"]))
    custom = property(lambda self: Props(self._view.state["custom"]))
    rootContainer = property(lambda self: ComponentProxy(self._page, self._view.root))
    session = property(lambda self: SessionProxy(self._page.session))
    page = property(lambda self: PageProxy(self._page))

    def refreshBinding(self, target):
        self._view.refresh_binding(None, target)


class SessionProxy(object):
    def __init__(self, session):
        self._session = session

    props = property(lambda self: Props(self._session.state["props"]))
    custom = property(lambda self: Props(self._session.state["custom"]))


class PageProxy(object):
    def __init__(self, page):
        self._page = page

    props = property(lambda self: Props(self._page.state["props"]))
    session = property(lambda self: SessionProxy(self._page.session))


class Session(object):
    """A browser session: who is signed in (the identity-provider stand-in) and session.custom."""

    def __init__(self, sid):
        self.sid = sid
        self.state = {"props": {"id": sid, "auth": {"authenticated": False, "user": {"userName": None},
                                                     "securityLevels": []},
                                "device": {"type": "browser"}, "locale": "en-US"},
                      "custom": {}}

    def sign_in(self, username, roles):
        self.state["props"]["auth"] = {"authenticated": True, "user": {"userName": username},
                                       "securityLevels": [{"name": "Authenticated", "children": [
                                           {"name": "Roles", "children": [{"name": r} for r in roles]}]}],
                                       "roles": list(roles)}

    def sign_out(self):
        self.__init__(self.sid)

    @property
    def user(self):
        return self.state["props"]["auth"]["user"]["userName"]


class Page(object):
    """One browser tab: the primary view, its popups, and what scripts asked the browser to do."""

    def __init__(self, host, session, pid, view_path, params=None):
        self.host = host
        self.session = session
        self.pid = pid
        self.state = {"props": {"path": "/" + view_path, "pageId": pid}}
        self.view = ViewInstance(self, view_path, params)
        self.popups = []            # [(popup id, title, ViewInstance)]
        self.navigate_to = None     # (view path, params) after system.perspective.navigate
        self.notices = []           # script errors shown to the developer
        self.messages = []
        self.touched = time.monotonic()
        self.view.refresh()

    def notice(self, where, error, trace=None):
        """Show a script error on the page (the gateway would log it)."""
        self.notices.append({"seq": len(self.notices) + 1, "where": where, "error": error, "trace": trace})

    def views(self):
        return [self.view] + [popup[2] for popup in self.popups]

    def refresh(self):
        for view in self.views():
            view.refresh()

    def find(self, cid):
        for view in self.views():
            found = view.find(cid)
            if found is not None:
                return found
        return None

    def proxy(self, component):
        return ComponentProxy(self, component) if component is not None else None

    # -- scripts -------------------------------------------------------------------------------
    def _run(self, where, function, *args):
        self.host.current_page = self
        try:
            function(*args)
        except Exception as error:  # a script error: logged and shown, as a gateway logs it
            self.notice(where, "%s: %s" % (type(error).__name__, getattr(error, "message", None) or error),
                        traceback.format_exc(limit=4))
            self.host.log_script_error(where, error)
        finally:
            self.deliver_messages()
            self.host.current_page = None

    def run_event(self, component, event_name, event_data):
        config = None
        for group in ("component", "dom"):
            config = component.node.get("events", {}).get(group, {}).get(event_name) or config
        if not config:
            return False
        configs = config if isinstance(config, list) else [config]
        for entry in configs:
            if entry.get("type") != "script":
                self.notice("%s.%s" % (component.name, event_name),
                            "action type %r is not emulated by the preview" % entry.get("type"))
                continue
            code = compile_function("def runAction(self, event):", entry.get("config", {}).get("script", ""),
                                    "%s %s" % (component.name, event_name))
            namespace = self.host.script_globals()
            exec(code, namespace)
            self._run("%s.%s" % (component.name, event_name), namespace["runAction"], self.proxy(component),
                      Props(dict(event_data or {})))
        return True

    def run_change_script(self, owner, body, target, previous, value):
        code = compile_function("def valueChanged(self, previousValue, currentValue, origin, missedEvents):",
                                body, "%s onChange" % target)
        namespace = self.host.script_globals()
        exec(code, namespace)
        self._run("%s onChange" % target, namespace["valueChanged"], self.proxy(owner), previous, value,
                  "Binding", False)

    def send_message(self, message_type, payload):
        self.messages.append((message_type, dict(payload or {})))

    def deliver_messages(self):
        while self.messages:
            message_type, payload = self.messages.pop(0)
            for view in self.views():
                for component in view.root.walk():
                    for handler in component.node.get("scripts", {}).get("messageHandlers", []):
                        if handler.get("messageType") != message_type:
                            continue
                        code = compile_function("def onMessageReceived(self, payload):", handler.get("script", ""),
                                                "%s message %s" % (component.name, message_type))
                        namespace = self.host.script_globals()
                        exec(code, namespace)
                        self.host.current_page = self
                        try:
                            namespace["onMessageReceived"](self.proxy(component), payload)
                        except Exception as error:  # shown like an event script error
                            self.notice("%s message %s" % (component.name, message_type),
                                        "%s: %s" % (type(error).__name__, error))

    def open_popup(self, popup_id, view_path, params=None, title=""):
        self.close_popup(popup_id)
        view = ViewInstance(self, view_path, params, prefix="popup:%s" % popup_id)
        self.popups.append((popup_id, title or view_path, view))
        view.refresh()

    def close_popup(self, popup_id=None):
        self.popups = [p for p in self.popups if popup_id is not None and p[0] != popup_id]

    def snapshot(self):
        return {"page": self.pid, "view": self.view.path, "user": self.session.user,
                "title": self.view.doc.get("props", {}).get("title") or self.view.path,
                "tree": self.view.root.snapshot(),
                "popups": [{"id": pid, "title": title, "tree": view.root.snapshot()}
                           for pid, title, view in self.popups],
                "navigate": self.navigate_to, "notices": self.notices[-5:]}
