"""system.util: loggers, JSON, gateway globals, messages to handlers, deferred calls."""
from __future__ import absolute_import, division, print_function

import datetime
import json

from ..errors import HarnessError
from ..timeutil import to_millis
from .namespace import Namespace

__all__ = ["MessageNotHandled", "make_util_namespace"]


class MessageNotHandled(HarnessError):
    """sendRequest named a project or message handler that does not exist."""


def _json_default(value):
    if isinstance(value, datetime.datetime):
        return to_millis(value)
    if hasattr(value, "getColumnNames") and hasattr(value, "getRowCount"):
        names = list(value.getColumnNames())
        return [dict(zip(names, [value.getValueAt(r, c) for c in range(len(names))]))
                for r in range(value.getRowCount())]
    raise TypeError("%r cannot be JSON-encoded" % (value,))


def json_encode(value, indentFactor=None):
    """Compact JSON (keys sorted, so every host prints the same); datetimes as epoch millis."""
    if indentFactor:
        return json.dumps(value, indent=indentFactor, sort_keys=True, default=_json_default)
    return json.dumps(value, separators=(",", ":"), sort_keys=True, default=_json_default)


def make_util_namespace(gateway):
    """The `system.util` area of `gateway` (its log, globals, handlers, event queue, clock)."""
    dispatcher = gateway.dispatcher

    def _handlers(project, handler):
        if project not in (None, "", gateway.project_name):
            return []
        found = gateway.message_handlers.get(handler)
        return [found] if found is not None else []

    def sendMessage(project, messageHandler, payload=None, scope=None, clientSessionId=None,
                    user=None, hasRole=None, hostName=None, remoteServers=None):
        recipients = []
        if scope is None or "G" in scope.upper():
            for handler in _handlers(project, messageHandler):
                dispatcher.post("message handler %s" % messageHandler, handler, payload or {})
                recipients.append({"type": "Gateway", "project": gateway.project_name,
                                   "messageHandler": messageHandler})
        return recipients

    def sendRequest(project, messageHandler, payload=None, hostName=None, remoteServer=None,
                    timeoutSec=None):
        handlers = _handlers(project, messageHandler)
        if not handlers:
            raise MessageNotHandled("no gateway message handler %r in project %r"
                                    % (messageHandler, project))
        return handlers[0](payload or {})

    def invokeAsynchronous(function, args=None, kwargs=None, description=None):
        dispatcher.post(description or "invokeAsynchronous %s" % getattr(function, "__name__", ""),
                        lambda: function(*(args or ()), **(kwargs or {})))

    def invokeLater(function, delay=0):
        gateway.clock.call_later(delay / 1000.0, lambda: dispatcher.run(
            "invokeLater %s" % getattr(function, "__name__", ""), function))

    return Namespace("system.util", {
        "getLogger": gateway.log.getLogger, "jsonEncode": json_encode, "jsonDecode": json.loads,
        "getGlobals": lambda: gateway.globals, "globals": gateway.globals,
        "sendMessage": sendMessage, "sendRequest": sendRequest,
        "invokeAsynchronous": invokeAsynchronous, "invokeLater": invokeLater,
        "getProjectName": lambda: gateway.project_name,
    })
