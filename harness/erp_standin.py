"""A stand-in ERP for tests and demos: a local HTTP server (127.0.0.1) that accepts Genba's two
outbound faces, records what it received, deduplicates by idempotency key like a real ERP, and
can be told to misbehave.

Faces:
- B2MML: POST /b2mml (any path below it), XML body, header Idempotency-Key.
- NetSuite-like: POST /services/rest/record/v1/workOrder/eid:<wo>/!transform/workOrderCompletion
  (or .../assemblyBuild), JSON body, header X-NetSuite-Idempotency-Key (or Idempotency-Key).
Answers 204 with a Location header (NetSuite) or 200 with a JSON acknowledgement (B2MML).
A repeated key is recorded as a duplicate and answered as the first time (`dedup="replay"`) or
with NetSuite's 400 IDEMPOTENCY_ERROR (`dedup="conflict"`).

Misbehaviour, set from Python (`standin.misbehave(mode, count, ...)`), or over HTTP
(POST /_standin/control {"mode": ..., "count": n, "status": 500, "delay": s}):
- error: answer `status` (default 500) without recording;
- lost_ack: record, then answer 500 (processed, but the answer is lost);
- timeout: record, then wait `delay` seconds before answering (longer than the client waits);
- slow: wait `delay` seconds, then behave normally;
- duplicate_ack: record a new message but answer as if it were a duplicate (409);
- refuse: close the connection without an answer (an ERP that is down, as seen over HTTP).
`down()` closes the port (connection refused) and `up()` opens it again on the same port.
GET /_standin/received lists the effective messages; GET /_standin/requests every request.
"""
from __future__ import annotations

import json
import re
import sys
import threading
import time
import xml.etree.ElementTree as ElementTree
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

__all__ = ["ErpStandin", "MODES"]

MODES = ("ok", "error", "lost_ack", "timeout", "slow", "duplicate_ack", "refuse")
_REST = re.compile(r"^/services/rest/record/v1/workOrder/(?:eid:)?([^/]+)/!transform/(workOrderCompletion|assemblyBuild)$")


class _Server(ThreadingHTTPServer):
    allow_reuse_address = True
    daemon_threads = True

    def handle_error(self, request, client_address):
        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            return  # the client gave up waiting (the timeout mode): nothing to report
        ThreadingHTTPServer.handle_error(self, request, client_address)


class ErpStandin:
    """The stand-in ERP; use as a context manager or call start()/stop()."""

    def __init__(self, port=0, dedup="replay", validate=None):
        self.port = port
        self.dedup = dedup
        self.validate = validate  # callable(kind, body_text) -> list of error strings
        self.received = []  # effective messages, first delivery of each key
        self.requests = []  # every request, with the answer given
        self._lock = threading.Lock()
        self._plan = []  # [mode, remaining, status, delay]
        self._server = None
        self._thread = None

    # life cycle -----------------------------------------------------------------------------
    def start(self):
        handler = type("Handler", (_Handler,), {"standin": self})
        self._server = _Server(("127.0.0.1", self.port), handler)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, name="erp-standin", daemon=True)
        self._thread.start()
        return self

    def stop(self):
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(5)
            self._server = None

    down = stop

    def up(self):
        return self.start()

    @property
    def running(self):
        return self._server is not None

    @property
    def url(self):
        return "http://127.0.0.1:%d" % self.port

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # behaviour -------------------------------------------------------------------------------
    def misbehave(self, mode, count=1, status=500, delay=0.0):
        """Answer the next `count` requests with `mode` (see the module docstring)."""
        if mode not in MODES:
            raise ValueError("unknown mode %r; use one of %s" % (mode, ", ".join(MODES)))
        with self._lock:
            self._plan.append([mode, count, status, delay])

    def behave(self):
        """Forget planned misbehaviour."""
        with self._lock:
            self._plan = []

    def _next_mode(self):
        with self._lock:
            while self._plan and self._plan[0][1] <= 0:
                self._plan.pop(0)
            if not self._plan:
                return "ok", 500, 0.0
            step = self._plan[0]
            step[1] -= 1
            return step[0], step[2], step[3]

    # records ---------------------------------------------------------------------------------
    def keys(self):
        return [m["key"] for m in self.received]

    def by_work_order(self, wo_id):
        return [m for m in self.received if m["work_order"] == wo_id]

    def _record(self, entry):
        with self._lock:
            duplicate = entry["key"] in set(m["key"] for m in self.received)
            if not duplicate:
                entry["seq"] = len(self.received) + 1
                self.received.append(entry)
            return duplicate


class _Handler(BaseHTTPRequestHandler):
    standin = None
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # quiet
        pass

    def _answer(self, status, body=None, headers=None):
        data = b"" if body is None else (json.dumps(body).encode("utf-8") if not isinstance(body, bytes) else body)
        self.send_response(status)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        if data:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if data:
            self.wfile.write(data)

    def do_GET(self):
        s = self.standin
        if self.path == "/_standin/received":
            return self._answer(200, s.received)
        if self.path == "/_standin/requests":
            return self._answer(200, s.requests)
        return self._answer(404, {"title": "Not Found", "status": 404})

    def do_POST(self):
        s = self.standin
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if self.path == "/_standin/control":
            order = json.loads(body or b"{}")
            try:
                if order.get("mode") == "ok":
                    s.behave()
                else:
                    s.misbehave(order.get("mode"), int(order.get("count", 1)), int(order.get("status", 500)),
                                float(order.get("delay", 0)))
            except ValueError as exc:
                return self._answer(400, {"title": str(exc), "status": 400})
            return self._answer(200, {"ok": True})
        face, wo_id = None, None
        match = _REST.match(self.path)
        if match:
            face, wo_id = "rest", match.group(1)
        elif self.path == "/b2mml" or self.path.startswith("/b2mml/"):
            face = "b2mml"
        if face is None:
            return self._answer(404, {"title": "Not Found", "status": 404, "o:errorDetails": [{"detail": self.path}]})
        key = self.headers.get("X-NetSuite-Idempotency-Key") or self.headers.get("Idempotency-Key")
        mode, status, delay = s._next_mode()
        log = {"path": self.path, "key": key, "mode": mode, "at": time.time()}
        s.requests.append(log)
        if mode == "refuse":  # like a dead ERP: the connection closes without an answer
            log["status"] = None
            self.close_connection = True
            self.connection.shutdown(2)
            return None
        if mode == "slow":
            time.sleep(delay)
        if mode == "error":
            log["status"] = status
            return self._answer(status, {"title": "Internal Server Error", "status": status})
        if not key:
            log["status"] = 400
            return self._answer(400, {"title": "Bad Request", "status": 400,
                                      "o:errorDetails": [{"detail": "Missing idempotency key header.",
                                                          "o:errorCode": "INVALID_HEADER"}]})
        text = body.decode("utf-8")
        try:
            if face == "b2mml":
                root = ElementTree.fromstring(body)
                wo_id = self.headers.get("X-Genba-Key") or _first_text(root, "ProductionRequestID") or _first_text(root, "OperationsRequestID")
                payload = text
            else:
                payload = json.loads(text)
        except (ValueError, ElementTree.ParseError) as exc:
            log["status"] = 400
            return self._answer(400, {"title": "Bad Request", "status": 400, "o:errorDetails": [{"detail": str(exc)}]})
        errors = s.validate(face, text) if s.validate else []
        if errors:
            log["status"] = 400
            return self._answer(400, {"title": "Bad Request", "status": 400,
                                      "o:errorDetails": [{"detail": e, "o:errorCode": "INVALID_CONTENT"} for e in errors]})
        duplicate = s._record({"key": key, "face": face, "path": self.path, "work_order": wo_id,
                               "payload": payload, "content_type": self.headers.get("Content-Type")})
        log["duplicate"] = duplicate
        if mode == "lost_ack":
            log["status"] = 500
            return self._answer(500, {"title": "Internal Server Error", "status": 500})
        if mode == "timeout":
            time.sleep(delay)
        if duplicate and s.dedup == "conflict" or mode == "duplicate_ack":
            log["status"] = 409 if mode == "duplicate_ack" else 400
            return self._answer(log["status"], {"title": "Conflict", "status": log["status"], "o:errorDetails": [
                {"detail": "A request with this idempotency key was already processed.", "o:errorCode": "IDEMPOTENCY_ERROR"}]})
        log["status"] = 204 if face == "rest" else 200
        if face == "rest":
            return self._answer(204, None, {"Location": "%s/services/rest/record/v1/workOrderCompletion/%s" % (s.url, key)})
        return self._answer(200, {"acknowledged": key, "duplicate": duplicate})


def _first_text(root, name):
    for el in root.iter():
        if el.tag.endswith("}" + name) or el.tag == name:
            return (el.text or "").strip() or None
    return None
