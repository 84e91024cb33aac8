"""system.net.httpClient for the harness: a small HTTP client with Ignition's response object.

Common subset (CPython 3 and Jython 2.7): built on urllib.request / urllib2. What it honours of
Ignition's JythonHttpClient: `httpClient(timeout=ms, username=, password=, bypass_cert_validation=)`
returns a client whose get/post/put/patch/delete/head/options(url, params=None, data=None,
headers=None, username=None, password=None, timeout=None) return a `Response` with statusCode,
good, clientError, serverError, text, json, body, headers (name -> list of values) and url.
A dict/list `data` is sent as JSON (Content-Type application/json), text as UTF-8.
Non-2xx answers are responses, not exceptions; a refused connection or a timeout raises
`HttpConnectionError` (on the gateway a java.net/Java HTTP exception).
"""
from __future__ import absolute_import, division, print_function

import base64
import json as _json
import socket
import sys

if sys.version_info[0] == 2:  # pragma: no cover - Jython
    import urllib2 as _request
    from urllib import urlencode
    _HTTPError = _request.HTTPError
    _URLError = _request.URLError
else:
    import urllib.request as _request
    from urllib.error import HTTPError as _HTTPError, URLError as _URLError
    from urllib.parse import urlencode

__all__ = ["HttpClient", "HttpConnectionError", "Response", "httpClient"]


class HttpConnectionError(IOError):
    """The server could not be reached or did not answer in time."""

    def __init__(self, message, url=None, timeout=False):
        IOError.__init__(self, message)
        self.url = url
        self.timeout = timeout


class Response(object):
    """What a request returns, whatever the status code."""

    def __init__(self, url, status, body, headers):
        self.url = url
        self.statusCode = status
        self.body = body
        self.headers = headers

    @property
    def good(self):
        return 200 <= self.statusCode < 300

    @property
    def clientError(self):
        return 400 <= self.statusCode < 500

    @property
    def serverError(self):
        return 500 <= self.statusCode < 600

    @property
    def text(self):
        return self.body.decode("utf-8", "replace") if self.body is not None else u""

    @property
    def json(self):
        return _json.loads(self.text) if self.body else None

    def getStatusCode(self):
        return self.statusCode

    def __repr__(self):
        return "Response(%r, %r)" % (self.statusCode, self.url)


class _Request(_request.Request):
    def __init__(self, url, data, headers, method):
        _request.Request.__init__(self, url, data, headers)
        self._method = method

    def get_method(self):
        return self._method


def _native(value):
    """Header names/values and URLs as the native `str` (Python 2's httplib mixes unicode badly)."""
    if sys.version_info[0] == 2 and not isinstance(value, str):  # pragma: no cover - Jython
        return unicode(value).encode("utf-8")  # noqa: F821
    return value if isinstance(value, str) else str(value)


def _header_map(message):
    headers = {}
    if message is None:
        return headers
    for name, value in message.items():  # one spelling on every host: Content-Type
        headers.setdefault("-".join(part.capitalize() for part in name.split("-")), []).append(value)
    return headers


class HttpClient(object):
    """A client bound to defaults (timeout in ms, basic-auth credentials)."""

    def __init__(self, timeout=60000, bypass_cert_validation=False, username=None, password=None,
                 proxy=None, **ignored):
        self.timeout = timeout
        self.username = username
        self.password = password
        handlers = [_request.ProxyHandler({"http": proxy, "https": proxy} if proxy else {})]
        self._opener = _request.build_opener(*handlers)

    def request(self, method, url, params=None, data=None, headers=None, username=None,
                password=None, timeout=None):
        url = _native(url)
        if params:
            url += ("&" if "?" in url else "?") + urlencode(sorted(params.items()))
        all_headers = dict((_native(k), _native(v)) for k, v in (headers or {}).items())
        body = None
        if data is not None:
            if isinstance(data, (dict, list)):
                body = _json.dumps(data).encode("utf-8")
                all_headers.setdefault("Content-Type", "application/json")
            elif isinstance(data, bytes):
                body = data
            else:
                body = data.encode("utf-8")
                all_headers.setdefault("Content-Type", "text/plain; charset=UTF-8")
        user = username or self.username
        if user:
            token = base64.b64encode(("%s:%s" % (user, password or self.password or "")).encode("utf-8"))
            all_headers["Authorization"] = "Basic " + token.decode("ascii")
        seconds = (timeout if timeout is not None else self.timeout) / 1000.0
        req = _Request(url, body, all_headers, method.upper())
        try:
            handle = self._opener.open(req, timeout=seconds)
        except _HTTPError as err:
            payload = err.read() if hasattr(err, "read") else b""
            return Response(url, err.code, payload, _header_map(getattr(err, "headers", None)))
        except socket.timeout as err:
            raise HttpConnectionError("No answer from %s within %r ms." % (url, int(seconds * 1000)), url, True)
        except (_URLError, socket.error, IOError) as err:
            reason = getattr(err, "reason", err)
            timed_out = isinstance(reason, socket.timeout) or "timed out" in str(reason)
            raise HttpConnectionError("Cannot reach %s: %s." % (url, reason), url, timed_out)
        try:
            payload = handle.read()
        except socket.timeout:
            raise HttpConnectionError("No answer from %s within %r ms." % (url, int(seconds * 1000)), url, True)
        finally:
            handle.close()
        status = handle.getcode() if hasattr(handle, "getcode") else handle.status
        return Response(url, status, payload, _header_map(handle.info()))

    def get(self, url, params=None, **kwargs):
        return self.request("GET", url, params=params, **kwargs)

    def post(self, url, params=None, data=None, **kwargs):
        return self.request("POST", url, params=params, data=data, **kwargs)

    def put(self, url, params=None, data=None, **kwargs):
        return self.request("PUT", url, params=params, data=data, **kwargs)

    def patch(self, url, params=None, data=None, **kwargs):
        return self.request("PATCH", url, params=params, data=data, **kwargs)

    def delete(self, url, params=None, **kwargs):
        return self.request("DELETE", url, params=params, **kwargs)

    def head(self, url, params=None, **kwargs):
        return self.request("HEAD", url, params=params, **kwargs)

    def options(self, url, params=None, **kwargs):
        return self.request("OPTIONS", url, params=params, **kwargs)


def httpClient(timeout=60000, bypass_cert_validation=False, username=None, password=None, **kwargs):
    """system.net.httpClient(...) -> HttpClient."""
    return HttpClient(timeout=timeout, bypass_cert_validation=bypass_cert_validation,
                      username=username, password=password, **kwargs)
