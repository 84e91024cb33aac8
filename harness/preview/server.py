"""The preview HTTP server: pages as JSON snapshots, browser actions as POSTs, live updates over SSE.

Routes (all on 127.0.0.1):
  GET  /                         index of the project's views
  GET  /view/<path>?param=value  a page showing that view (a session cookie identifies the browser)
  GET  /api/events?page=<id>     Server-Sent Events: the page snapshot whenever it changes
  POST /api/write                {"page", "id", "prop", "value"}: the browser changed a prop
  POST /api/event                {"page", "id", "event", "data"}: a component event (click, ...)
  POST /api/login, /api/logout   sign the session in through the project's user store
  POST /api/clock                {"advance": seconds}: move a virtual clock (runs due timers)
  GET  /static/<file>            the renderer (preview.js, preview.css)

One lock serialises everything that touches the gateway; a ticker thread re-evaluates bindings
(tag values, polled queries) every `tick` seconds and wakes the SSE streams of changed pages.
"""
from __future__ import annotations

import html
import json
import os
import threading
import time
import uuid
from http.cookies import SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlparse

from harness.core.system.namespace import Namespace

from .model import BindingError, Page, Session, get_path, plain, set_path

__all__ = ["PreviewHost", "PreviewServer"]

STATIC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "static")


class NotEmulatedAction(Exception):
    pass


class PreviewHost(object):
    """A gateway plus the sessions and pages of the browsers looking at it."""

    def __init__(self, gateway, tick=0.5):
        self.gw = gateway
        self.views_dir = os.path.join(gateway.project_dir, "views")
        self.lock = threading.RLock()
        self.changed = threading.Condition(self.lock)
        self.sessions = {}
        self.pages = {}
        self.sent = {}            # page id -> last snapshot JSON
        self.current_page = None
        self.tick = tick
        self.errors = []
        self.gw.system.perspective = Namespace("system.perspective", {
            "sendMessage": self._send_message, "navigate": self._navigate,
            "openPopup": self._open_popup, "closePopup": self._close_popup})

    # -- services for the model ----------------------------------------------------------------
    def script_globals(self):
        return dict(self.gw.shared_globals)

    def read_tag(self, path):
        qv = self.gw.read(path)
        quality = qv.quality
        if not quality.isGood():
            raise BindingError("tag %s: quality %s" % (path, quality.getName()))
        return qv.value

    def named_query(self, path, params):
        return self.gw.system.db.runNamedQuery(path, params)

    def log_script_error(self, where, error):
        self.errors.append("%s: %s: %s" % (where, type(error).__name__, error))

    def views(self):
        found = []
        for folder, _, files in os.walk(self.views_dir):
            if "view.json" in files:
                found.append(os.path.relpath(folder, self.views_dir).replace(os.sep, "/"))
        return sorted(found)

    # -- system.perspective ----------------------------------------------------------------------
    def _page(self):
        if self.current_page is None:
            raise NotEmulatedAction("system.perspective is only available in Perspective scripts")
        return self.current_page

    def _send_message(self, messageType, payload=None, scope="page", sessionId=None, pageId=None):
        page = self._page()
        targets = [page] if scope in ("page", "view") else \
            [p for p in self.pages.values() if p.session is page.session]
        for target in targets:
            target.send_message(messageType, payload)
            if target is not page:
                target.deliver_messages()

    def _navigate(self, page=None, url=None, view=None, params=None, sessionId=None, pageId=None, newTab=False):
        target = view or (page or url or "").lstrip("/")
        self._page().navigate_to = {"view": target, "params": plain(params or {})}

    def _open_popup(self, id, view, params=None, title="", **options):
        self._page().open_popup(id, view, plain(params or {}), title)

    def _close_popup(self, id=None, sessionId=None, pageId=None):
        self._page().close_popup(id)

    # -- actions from the browser ---------------------------------------------------------------
    def session(self, sid):
        with self.lock:
            if sid not in self.sessions:
                self.sessions[sid] = Session(sid)
            return self.sessions[sid]

    def open_page(self, sid, view_path, params):
        with self.lock:
            pid = uuid.uuid4().hex[:12]
            self.pages[pid] = Page(self, self.session(sid), pid, view_path, params)
            self._publish()
            return self.pages[pid]

    def write(self, pid, cid, prop, value):
        with self.lock:
            page = self.pages[pid]
            component = page.find(cid)
            parts = prop.split(".")
            previous = get_path(component.state, parts)
            set_path(component.state, parts, plain(value))
            binding = component.bindings.get(prop)
            if binding and binding.get("type") == "tag" and binding.get("config", {}).get("bidirectional"):
                self.gw.write(component.view.tag_path(binding["config"], component), value)
            if prop in component.bindings.on_change and previous != value:
                page.run_change_script(component, component.bindings.on_change[prop], prop, previous, value)
            page.refresh()
            return self._publish(page)

    def event(self, pid, cid, name, data):
        with self.lock:
            page = self.pages[pid]
            component = page.find(cid)
            page.run_event(component, name, data)
            page.refresh()
            return self._publish(page)

    def login(self, pid, username, password):
        with self.lock:
            page = self.pages[pid]
            try:
                self.gw.call("mes.security.authenticate", username, password)
                roles = self.gw.call("mes.security.roles_of", username)
            except Exception as error:  # refused: show why on the page
                page.notice("sign-in", "%s" % (getattr(error, "message", None) or error))
                return self._publish(page)
            page.session.sign_in(username, sorted(roles))
            for other in self.pages.values():
                if other.session is page.session:
                    other.refresh()
            return self._publish(page)

    def logout(self, pid):
        with self.lock:
            page = self.pages[pid]
            page.session.sign_out()
            page.refresh()
            return self._publish(page)

    def advance(self, seconds):
        with self.lock:
            self.gw.clock.advance(float(seconds))
            self.refresh_all()

    # -- publishing ---------------------------------------------------------------------------------
    def snapshot_json(self, page):
        doc = page.snapshot()
        doc["clock"] = self.gw.clock.now().isoformat()
        doc["virtual"] = bool(getattr(self.gw.clock, "virtual", False))
        return json.dumps(doc, sort_keys=True, default=str)

    def _publish(self, only=None):
        text = None
        for page in ([only] if only is not None else list(self.pages.values())):
            snapshot = self.snapshot_json(page)
            if self.sent.get(page.pid) != snapshot:
                self.sent[page.pid] = snapshot
                self.changed.notify_all()
            text = snapshot
        return text

    def refresh_all(self):
        with self.lock:
            if not getattr(self.gw.clock, "virtual", False):
                self.gw.clock.advance(0)
            for page in list(self.pages.values()):
                page.refresh()
            self._publish()
            stale = [pid for pid, page in self.pages.items() if time.monotonic() - page.touched > 300]
            for pid in stale:
                del self.pages[pid]
                self.sent.pop(pid, None)

    def run_ticker(self, stop):
        while not stop.wait(self.tick):
            try:
                self.refresh_all()
            except Exception as error:  # keep ticking; the page shows binding errors itself
                self.errors.append("ticker: %r" % (error,))


class Handler(BaseHTTPRequestHandler):
    server_version = "GenbaPreview/1"
    host = None  # set on the subclass made by PreviewServer

    def log_message(self, format, *args):  # quiet; the CLI prints the address once
        pass

    def _send(self, status, body, content_type="application/json", headers=()):
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _sid(self):
        cookie = SimpleCookie(self.headers.get("Cookie", ""))
        return cookie["genba_session"].value if "genba_session" in cookie else None

    def do_GET(self):
        url = urlparse(self.path)
        query = dict((k, v[-1]) for k, v in parse_qs(url.query).items())
        if url.path == "/":
            items = "".join('<li><a href="/view/%s">%s</a></li>' % (html.escape(v), html.escape(v))
                            for v in self.host.views())
            return self._send(200, INDEX % items, "text/html; charset=utf-8")
        if url.path.startswith("/view/"):
            sid = self._sid() or uuid.uuid4().hex
            path = unquote(url.path[len("/view/"):])
            try:
                page = self.host.open_page(sid, path, query)
            except KeyError as error:
                return self._send(404, "%s" % error, "text/plain; charset=utf-8")
            body = PAGE % {"title": html.escape(path), "pid": page.pid}
            return self._send(200, body, "text/html; charset=utf-8",
                              [("Set-Cookie", "genba_session=%s; Path=/; SameSite=Strict" % sid)])
        if url.path.startswith("/static/"):
            name = os.path.basename(url.path)
            file = os.path.join(STATIC, name)
            if not os.path.isfile(file):
                return self._send(404, "not found", "text/plain")
            kind = "text/css" if name.endswith(".css") else "application/javascript"
            with open(file, "rb") as handle:
                return self._send(200, handle.read(), kind + "; charset=utf-8")
        if url.path == "/api/events":
            return self._stream(query.get("page"))
        if url.path == "/api/snapshot":
            page = self.host.pages.get(query.get("page"))
            if page is None:
                return self._send(404, '{"error": "unknown page"}')
            with self.host.lock:
                return self._send(200, self.host.snapshot_json(page))
        return self._send(404, "not found", "text/plain")

    def _stream(self, pid):
        host = self.host
        if pid not in host.pages:
            return self._send(404, "unknown page", "text/plain")
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        last = None
        try:
            while pid in host.pages:
                with host.lock:
                    current = host.sent.get(pid)
                    if current == last:
                        host.changed.wait(15)
                        current = host.sent.get(pid)
                    if pid in host.pages:
                        host.pages[pid].touched = time.monotonic()
                if current != last and current is not None:
                    self.wfile.write(("data: %s\n\n" % current).encode("utf-8"))
                    last = current
                else:
                    self.wfile.write(b": keep-alive\n\n")
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0") or 0)
        try:
            body = json.loads(self.rfile.read(length).decode("utf-8") or "{}")
        except ValueError:
            return self._send(400, '{"error": "the body is not JSON"}')
        host = self.host
        path = urlparse(self.path).path
        try:
            if path == "/api/clock":
                host.advance(body.get("advance", 0))
                return self._send(200, '{"ok": true}')
            pid = body.get("page")
            if pid not in host.pages:
                return self._send(404, '{"error": "unknown page; reload"}')
            if path == "/api/write":
                return self._send(200, host.write(pid, body["id"], body["prop"], body.get("value")))
            if path == "/api/event":
                return self._send(200, host.event(pid, body["id"], body["event"], body.get("data")))
            if path == "/api/login":
                return self._send(200, host.login(pid, body.get("username", ""), body.get("password", "")))
            if path == "/api/logout":
                return self._send(200, host.logout(pid))
        except KeyError as error:
            return self._send(400, json.dumps({"error": "missing or unknown %s" % error}))
        return self._send(404, '{"error": "not found"}')


class PreviewServer(object):
    """`PreviewServer(gateway, port=0).start()`; `.url`; `.stop()`."""

    def __init__(self, gateway, port=0, tick=0.5):
        self.host = PreviewHost(gateway, tick)
        handler = type("BoundHandler", (Handler,), {"host": self.host})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.url = "http://127.0.0.1:%d" % self.port
        self._stop = threading.Event()
        self._threads = []

    def start(self):
        for target, args in ((self.httpd.serve_forever, ()), (self.host.run_ticker, (self._stop,))):
            thread = threading.Thread(target=target, args=args, daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self):
        self._stop.set()
        with self.host.lock:
            self.host.pages.clear()
            self.host.changed.notify_all()
        self.httpd.shutdown()
        self.httpd.server_close()


INDEX = """<!doctype html><html><head><meta charset="utf-8"><title>Genba preview</title>
<link rel="stylesheet" href="/static/preview.css"></head><body class="index">
<header class="bar"><span class="brand">Genba</span><span class="title">Views</span></header>
<main><ul class="views">%s</ul></main></body></html>"""

PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>%(title)s - Genba</title>
<link rel="stylesheet" href="/static/preview.css"></head>
<body data-page="%(pid)s"><header class="bar" id="bar"></header><main id="view"></main>
<div id="popups"></div><div id="notices"></div>
<script src="/static/preview.js"></script></body></html>"""
