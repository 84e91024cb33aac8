"""Gateway event scripts of a project (`project/events`, the 8.3-style layout).

Each event is a folder holding the handler script (a full `def`) and, for timers, tag-change
scripts and message handlers, a `config.json` with its settings:
  startup/onStartup.py, shutdown/onShutdown.py,
  timer/<name>/handleTimerEvent.py    {"delay": ms, "fixedDelay": true, "enabled": true}
  tag-change/<name>/onTagChange.py    {"paths": [...], "changeTypes": ["value", "quality", "timestamp"]}
  message/<name>/handleMessage.py     {"threadType": "shared"}
"""
from __future__ import absolute_import, division, print_function

import io
import json
import os

from .errors import ProjectLoadError
from .library import compile_source

__all__ = ["GatewayEvents", "load_gateway_events"]

_KINDS = {"timer": "handleTimerEvent", "tag-change": "onTagChange", "message": "handleMessage"}


class GatewayEvent(object):
    """One loaded event: its kind, name, settings and handler function."""

    __slots__ = ("kind", "name", "config", "handler")

    def __init__(self, kind, name, config, handler):
        self.kind = kind
        self.name = name
        self.config = config
        self.handler = handler

    def __repr__(self):
        return "GatewayEvent(%s/%s)" % (self.kind, self.name)


class GatewayEvents(object):
    """The events of a project, by kind."""

    def __init__(self):
        self.startup = []
        self.shutdown = []
        self.timers = []
        self.tag_changes = []
        self.messages = {}


def _read_config(folder):
    path = os.path.join(folder, "config.json")
    if not os.path.exists(path):
        return {}
    with io.open(path, encoding="utf-8") as handle:
        try:
            return json.loads(handle.read())
        except ValueError as error:
            raise ProjectLoadError("%s: not valid JSON (%s)" % (path, error))


def _load_handler(filename, function_name, shared_globals):
    with io.open(filename, encoding="utf-8") as handle:
        source = handle.read()
    namespace = dict(shared_globals)
    exec(compile_source(source, filename), namespace)
    handler = namespace.get(function_name)
    if not callable(handler):
        raise ProjectLoadError("%s must define %s(...)" % (filename, function_name))
    return handler


def load_gateway_events(events_dir, shared_globals):
    """Every event under `events_dir` (missing folder: no events), handlers compiled."""
    events = GatewayEvents()
    if not os.path.isdir(events_dir):
        return events
    for kind, function_name, target in (("startup", "onStartup", events.startup),
                                        ("shutdown", "onShutdown", events.shutdown)):
        filename = os.path.join(events_dir, kind, function_name + ".py")
        if os.path.exists(filename):
            target.append(GatewayEvent(kind, kind, {}, _load_handler(filename, function_name,
                                                                      shared_globals)))
    for kind, function_name in sorted(_KINDS.items()):
        kind_dir = os.path.join(events_dir, kind)
        if not os.path.isdir(kind_dir):
            continue
        for name in sorted(os.listdir(kind_dir)):
            folder = os.path.join(kind_dir, name)
            filename = os.path.join(folder, function_name + ".py")
            if not os.path.isdir(folder):
                continue
            if not os.path.exists(filename):
                raise ProjectLoadError("%s has no %s.py" % (folder, function_name))
            config = _read_config(folder)
            if config.get("enabled", True) is False:
                continue
            event = GatewayEvent(kind, name, config, _load_handler(filename, function_name,
                                                                   shared_globals))
            if kind == "timer":
                if not isinstance(config.get("delay"), (int, float)) or config["delay"] <= 0:
                    raise ProjectLoadError("%s/config.json: a timer needs a positive 'delay' in ms"
                                           % folder)
                events.timers.append(event)
            elif kind == "tag-change":
                if not config.get("paths"):
                    raise ProjectLoadError("%s/config.json: a tag-change script needs 'paths'" % folder)
                events.tag_changes.append(event)
            else:
                events.messages[name] = event.handler
    return events
