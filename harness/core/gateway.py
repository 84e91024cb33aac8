"""The emulated gateway: a project's tags, scripts and events running on a clock.

    gw = Gateway(project="project", clock="virtual", start="2026-01-05T06:00:00")
    gw.write("[default]Line1/Filler/State", 1)
    gw.clock.advance(60)
    gw.call("mes.counter.delta", 4294967290, 5)

Start-up order (documented once): tags are built, every module of the project library runs,
startup scripts run, then the initial events of tag scripts and gateway tag-change scripts run,
then timers start (first run one delay after start). Every external call (`call`, `write`,
`update`, `eval`, clock callbacks) returns only after the events it caused have run, unless made
inside `burst()`. `restart()` is a gateway restart: shutdown scripts, memory tag values kept (they
are persisted on a gateway), OPC tags with the values their device still holds (what the new
subscription delivers), library reloaded, start-up again with initial events, same clock.
"""
from __future__ import absolute_import, division, print_function

import datetime
import os

from .clock import make_clock
from .compat import text_type
from .events import EventDispatcher
from .gatewaylog import GatewayLog
from .gatewayevents import load_gateway_events
from .library import ScriptLibrary, compile_source
from .system.databases import make_dataset_namespace, make_db_namespace
from .system.dates import make_date_namespace
from .system.namespace import Namespace
from .system.tags import make_tag_namespace
from .system.util import make_util_namespace
from .net import httpClient
from .tagmodel import load_project_tags
from .tagprovider import TagRuntime

__all__ = ["Gateway", "TagChangeEvent"]

# Memory tags are persisted by a gateway; OPC tags get their device's values again when the
# subscription is re-established, and the device still holds what it last reported.
_KEPT_ACROSS_RESTART = ("memory", "opc")
_TAG_EVENT_ARGUMENTS = "tag, tagPath, previousValue, currentValue, initialChange, missedEvents"


class TagChangeEvent(object):
    """The `event` of a gateway tag-change script: tag path and the values of the change."""

    def __init__(self, tag_path, previous, current):
        self.tagPath = tag_path
        self.previousValue = previous
        self.currentValue = current

    def getTagPath(self):
        return self.tagPath

    def getPreviousValue(self):
        return self.previousValue

    def getCurrentValue(self):
        return self.currentValue


def _event_function_source(eventid, body):
    """`def <eventid>(tag, ...):` followed by the exported body, indented as Python 2 reads it."""
    lines = []
    for line in body.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        stripped = line.lstrip(" \t")
        indent = line[:len(line) - len(stripped)].expandtabs(8)
        lines.append(indent + stripped if stripped else "")
    code_lines = [line for line in lines if line.strip() and not line.strip().startswith("#")]
    if not code_lines:
        lines = ["    pass"]
    elif not code_lines[0][:1].isspace():
        lines = ["    " + line if line else line for line in lines]
    return "def %s(%s):\n%s\n" % (eventid, _TAG_EVENT_ARGUMENTS, "\n".join(lines))


class Gateway(object):
    """A gateway hosting one project: `system`, tags, the project library, events and a clock."""

    def __init__(self, project="project", clock="virtual", start=None, databases=None,
                 default_database=None, project_name="genba", autostart=True):
        self.project_dir = os.path.abspath(project)
        self.project_name = project_name
        self.clock = make_clock(clock, start) if isinstance(clock, (str, text_type)) else clock
        self.databases = databases
        self.default_database = default_database
        self.log = GatewayLog(self.clock)
        self.dispatcher = EventDispatcher(self.log.getLogger("ScriptManager"))
        self.clock.on_idle = self.dispatcher.drain
        self.globals = {}
        self.running = False
        self._timers = []
        self._script_cache = {}
        self.system = Namespace("system")
        self._boot({})
        if autostart:
            self.start()

    # -- building ------------------------------------------------------------------------------
    def _boot(self, persisted):
        self.shared_globals = {"system": self.system}
        self.library = ScriptLibrary(os.path.join(self.project_dir, "scripts"), self.shared_globals)
        self.tag_model = load_project_tags(self.project_dir)
        self.tags = TagRuntime(self.tag_model, self.clock, self.dispatcher, self._compile_tag_script)
        for tag in self.tags.atomic_tags():
            if tag.path in persisted:
                tag.qv = persisted[tag.path]
        self.system.tag = make_tag_namespace(self.tags, self.dispatcher)
        self.system.date = make_date_namespace(self.clock)
        self.system.util = make_util_namespace(self)
        self.system.dataset = self._dataset_namespace()
        self.system.db = self._database_namespace()
        self.system.net = Namespace("system.net", {"httpClient": httpClient})
        self.events = load_gateway_events(os.path.join(self.project_dir, "events"), self.shared_globals)
        self.message_handlers = self.events.messages

    def _dataset_namespace(self):
        """system.dataset (harness.core.dataset)."""
        return make_dataset_namespace()

    def _database_namespace(self):
        """system.db: the database connections of this gateway (harness.core.db)."""
        return make_db_namespace(self.project_dir, self.clock, self.databases, self.default_database)

    def _compile_tag_script(self, node, eventid, body):
        key = (eventid, body)
        code = self._script_cache.get(key)
        if code is None:
            filename = "<tag event %s %s>" % (node.path, eventid)
            code = compile_source(_event_function_source(eventid, body), filename)
            self._script_cache[key] = code
        namespace = dict(self.shared_globals)
        exec(code, namespace)
        return namespace[eventid]

    # -- life cycle ----------------------------------------------------------------------------
    def start(self):
        """Run the project: library modules, startup scripts, initial events, timers."""
        self.library.load_all()
        for event in self.events.startup:
            self.dispatcher.run("startup script", event.handler)
        for event in self.events.tag_changes:
            self._subscribe_tag_change(event)
        self.tags.start()
        for event in self.events.timers:
            self._schedule_timer(event, self.clock.now())
        self.running = True
        self.dispatcher.drain()

    def shutdown(self):
        """Stop the project: timers cancelled, shutdown scripts run, pending events finished."""
        if not self.running:
            return
        for handle in self._timers:
            handle.cancel()
        self._timers = []
        self.dispatcher.drain()
        for event in self.events.shutdown:
            self.dispatcher.run("shutdown script", event.handler)
        self.dispatcher.drain()
        self.running = False
        close = getattr(self.system.db, "_close", None)
        if close is not None:
            close()

    def restart(self):
        """A gateway restart in place: memory tag values survive, everything else starts again."""
        persisted = {}
        for tag in self.tags.atomic_tags():
            if tag.node.value_source in _KEPT_ACROSS_RESTART:
                persisted[tag.path] = tag.qv
        self.shutdown()
        self.globals.clear()
        self._boot(persisted)
        self.start()

    def _schedule_timer(self, event, after):
        delay = datetime.timedelta(milliseconds=event.config["delay"])
        fixed_rate = event.config.get("fixedDelay", True) is False
        due = [after + delay]

        def fire():
            self.dispatcher.run("timer %s" % event.name, event.handler)
            due[0] = (due[0] if fixed_rate else self.clock.now()) + delay
            self._timers.append(self.clock.call_at(due[0], fire))

        self._timers.append(self.clock.call_at(due[0], fire))

    def _subscribe_tag_change(self, event):
        change_types = set(event.config.get("changeTypes", ["value", "quality", "timestamp"]))
        count = [0]

        def run(path, previous, current, initial):
            count[0] += 1
            tag_event = TagChangeEvent(path, previous, current)
            event.handler(initial, current, previous, tag_event, count[0])

        def on_change(path, previous, current, changes, initial):
            if changes & change_types:
                self.dispatcher.post("tag change script %s" % event.name, run, path, previous,
                                     current, initial)

        subscription = self.tags.subscribe(event.config["paths"], on_change)
        for path in subscription.paths:
            self.dispatcher.post("tag change script %s" % event.name, run, path, None,
                                 self.tags.read(path), True)

    # -- using it ------------------------------------------------------------------------------
    @property
    def errors(self):
        """Script errors (events, timers, handlers) collected since start, in order."""
        return self.dispatcher.errors

    def settle(self):
        """Run every pending event now."""
        self.dispatcher.drain()

    def burst(self):
        """`with gw.burst():` - writes inside queue their events; they run when the block ends."""
        return self.dispatcher.hold()

    def call(self, dotted, *args, **kwargs):
        """Call a project library function by its dotted path, then run the events it caused."""
        result = self.library.resolve(dotted)(*args, **kwargs)
        self.dispatcher.drain()
        return result

    def eval(self, expression):
        """Evaluate a Python expression in project scope (`system`, `mes`, ...)."""
        result = eval(expression, dict(self.shared_globals))
        self.dispatcher.drain()
        return result

    def execute(self, source, namespace=None):
        """Run statements in project scope (the script console); returns the namespace used."""
        namespace = namespace if namespace is not None else dict(self.shared_globals)
        exec(compile(source, "<console>", "exec"), namespace)
        self.dispatcher.drain()
        return namespace

    def read(self, path):
        """The QualifiedValue at a tag path."""
        return self.tags.read(path)

    def write(self, path, value):
        """Write a tag as a script would; returns the QualityCode and runs the resulting events."""
        quality = self.tags.write(path, value)
        self.dispatcher.drain()
        return quality

    def update(self, path, value, quality=None, timestamp=None):
        """A device-side change of an (OPC) tag, then the resulting events."""
        self.tags.update(path, value, quality, timestamp)
        self.dispatcher.drain()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.shutdown()
        return False
