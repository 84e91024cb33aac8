"""Safe XML reading and plain XML writing for the ERP documents (B2MML), Jython-safe.

Reading refuses anything that could make the parser fetch or expand: a document with a DOCTYPE or
ENTITY declaration is rejected *before* it reaches the parser (billion laughs, external entities),
and so is a document above the size bound. Times are ISO 8601 text <-> epoch milliseconds (UTC),
computed without the host clock so the same text gives the same number on every host.
"""
from __future__ import absolute_import, division, print_function

import calendar
import datetime
import re
import sys
import xml.etree.ElementTree as ElementTree
from xml.sax.saxutils import escape

__all__ = ["DEFAULT_MAX_BYTES", "Document", "DocumentTooLarge", "MalformedDocument", "UnsafeDocument",
           "child", "children", "element", "format_time", "local_name", "namespace_of",
           "parse", "parse_time", "plain", "serialize", "text_of"]

#: Largest document accepted (bytes of UTF-8); the ERP entry points may pass a smaller bound.
DEFAULT_MAX_BYTES = 4 * 1024 * 1024

_EPOCH = datetime.datetime(1970, 1, 1)
_JAVA = sys.platform.startswith("java")
_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.S)
_FORBIDDEN = re.compile(r"<!\s*(DOCTYPE|ENTITY|ATTLIST|ELEMENT|NOTATION)", re.I)
_TIME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?"
                   r"\s*(Z|[+-]\d{2}:?\d{2})?$")


class UnsafeDocument(mes.errors.InvalidInput):
    """The document declares a DTD/entities or exceeds the size bound."""
    code = "unsafe_document"


class DocumentTooLarge(UnsafeDocument):
    """The document exceeds the size bound."""
    code = "document_too_large"


class MalformedDocument(mes.errors.InvalidInput):
    """The document is not well-formed XML or not UTF-8."""
    code = "malformed_document"


class Document(object):
    """A parsed document: its root element, namespace and root local name."""

    def __init__(self, root):
        self.root = root
        self.namespace = namespace_of(root)
        self.name = local_name(root)


def parse(data, max_bytes=DEFAULT_MAX_BYTES):
    """Parse `data` (bytes or text, UTF-8) after the safety checks; return a `Document`."""
    if isinstance(data, bytes):
        raw = data
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise MalformedDocument("The document is not UTF-8 text; send B2MML encoded as UTF-8.")
    else:
        text = mes.compat.text(data)
        raw = text.encode("utf-8")
    if len(raw) > max_bytes:
        raise DocumentTooLarge("The document has %r bytes, more than the limit of %r." % (len(raw), max_bytes),
                             size=len(raw))
    if text.startswith(u"\ufeff"):
        text = text[1:]
    match = _FORBIDDEN.search(text)
    if match:
        raise UnsafeDocument("The document contains a %r declaration; DTDs and entities are refused."
                             % mes.compat.text(match.group(1)).upper())
    body = _DECLARATION.sub(u"", text, count=1)
    if _JAVA:
        return Document(_parse_java(body))
    try:
        root = ElementTree.fromstring(body.encode("utf-8"))
    except Exception as exc:  # ElementTree.ParseError
        raise MalformedDocument("The document is not well-formed XML: %r." % mes.compat.text(exc))
    return Document(root)


def _parse_java(text):
    """Parse with the JVM's own XML parser (DTDs disallowed) and convert to ElementTree elements.

    Jython's xml.etree needs Xerces on the class path, which a gateway or JVM may not have; the
    JDK parser is always there. Java exceptions are not Python exceptions, hence `Throwable`.
    """
    from java.io import StringReader
    from java.lang import Throwable
    from javax.xml.parsers import DocumentBuilderFactory
    from org.xml.sax import ErrorHandler, InputSource

    class _Raise(ErrorHandler):
        def warning(self, exc):
            pass

        def error(self, exc):
            raise exc

        def fatalError(self, exc):
            raise exc

    factory = DocumentBuilderFactory.newInstance()
    factory.setNamespaceAware(True)
    factory.setExpandEntityReferences(False)
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", True)
    try:
        builder = factory.newDocumentBuilder()
        builder.setErrorHandler(_Raise())
        document = builder.parse(InputSource(StringReader(text)))
    except Throwable as exc:
        raise MalformedDocument("The document is not well-formed XML: %r." % mes.compat.text(exc.getMessage()))
    return _element_of(document.getDocumentElement())


def _element_of(node):
    """An ElementTree element (with text and tails) for a DOM element."""
    def name_of(n):
        ns, local = n.getNamespaceURI(), n.getLocalName() or n.getNodeName()
        return "{%s}%s" % (ns, local) if ns else local
    attrs = {}
    node_attrs = node.getAttributes()
    for i in range(node_attrs.getLength()):
        attr = node_attrs.item(i)
        if attr.getNamespaceURI() != "http://www.w3.org/2000/xmlns/":
            attrs[name_of(attr)] = attr.getNodeValue()
    el = ElementTree.Element(name_of(node), attrs)
    last = None
    kids = node.getChildNodes()
    for i in range(kids.getLength()):
        kid = kids.item(i)
        kind = kid.getNodeType()
        if kind == 1:
            last = _element_of(kid)
            el.append(last)
        elif kind in (3, 4):
            if last is None:
                el.text = (el.text or u"") + kid.getNodeValue()
            else:
                last.tail = (last.tail or u"") + kid.getNodeValue()
    return el


_UNICODE_REPR = re.compile(r"(?<![\w'\"])u(['\"])")


def plain(message):
    """A message with Python 2's u'...' reprs written as '...', so every host stores the same text."""
    return _UNICODE_REPR.sub(r"\1", message)


def namespace_of(el):
    """The namespace URI of an element ('' when none)."""
    tag = el.tag
    if tag.startswith("{"):
        return tag[1:tag.index("}")]
    return ""


def local_name(el):
    """The element name without its namespace."""
    tag = el.tag
    return tag[tag.index("}") + 1:] if tag.startswith("{") else tag


def children(el, name):
    """Direct children of `el` named `name` (any namespace is the parent's)."""
    return [c for c in list(el) if local_name(c) == name]


def child(el, name):
    """The first direct child named `name`, or None."""
    for c in list(el):
        if local_name(c) == name:
            return c
    return None


def text_of(el, name=None):
    """Stripped text of `el` (or of its first child `name`); None when absent or empty."""
    if el is not None and name is not None:
        el = child(el, name)
    if el is None or el.text is None:
        return None
    value = mes.compat.text(el.text).strip()
    return value or None


def parse_time(value, what="time"):
    """ISO 8601 date/time text -> epoch milliseconds (UTC; no offset means UTC)."""
    if value is None:
        return None
    match = _TIME.match(value.strip())
    if not match:
        raise mes.errors.InvalidInput("The %s %r is not an ISO 8601 date-time." % (what, value))
    year, month, day, hour, minute, second, frac, zone = match.groups()
    try:
        seconds = calendar.timegm((int(year), int(month), int(day), int(hour or 0), int(minute or 0),
                                   int(second or 0), 0, 0, 0))
    except (ValueError, OverflowError):
        raise mes.errors.InvalidInput("The %s %r is not a valid date." % (what, value))
    if not (1 <= int(month) <= 12 and 1 <= int(day) <= 31 and int(hour or 0) < 24 and int(minute or 0) < 60):
        raise mes.errors.InvalidInput("The %s %r is not a valid date." % (what, value))
    millis = seconds * 1000 + (int((frac + "000")[:3]) if frac else 0)
    if zone and zone != "Z":
        sign = -1 if zone[0] == "+" else 1
        digits = zone[1:].replace(":", "")
        millis += sign * (int(digits[:2]) * 60 + int(digits[2:])) * 60000
    return millis


def format_time(millis):
    """Epoch milliseconds -> 'YYYY-MM-DDTHH:MM:SSZ' (UTC, whole seconds unless millis present)."""
    secs = millis // 1000
    rest = millis - secs * 1000
    moment = _EPOCH + datetime.timedelta(seconds=secs)
    text = "%04d-%02d-%02dT%02d:%02d:%02d" % (moment.year, moment.month, moment.day,
                                              moment.hour, moment.minute, moment.second)
    if rest:
        text += ".%03d" % rest
    return text + "Z"


def element(name, *content, **attrs):
    """A light XML node: a tuple ('name', attrs, [children or text]).

    Content items are nodes, lists of nodes (flattened) or one text/number value; None is dropped.
    """
    items = []
    for c in content:
        if c is None:
            continue
        if isinstance(c, list):
            items.extend([x for x in c if x is not None])
        else:
            items.append(c)
    return (name, attrs, items)


def _number(value):
    if isinstance(value, float):
        if value == int(value) and abs(value) < 1e15:
            return "%d" % int(value)
        return repr(value)
    return mes.compat.text(value)


def _render(node, out, indent):
    name, attrs, items = node
    pad = "  " * indent
    attr_text = "".join(' %s="%s"' % (k, escape(mes.compat.text(attrs[k]), {'"': "&quot;"}))
                        for k in sorted(attrs))
    if not items:
        out.append(u"%s<%s%s/>" % (pad, name, attr_text))
    elif len(items) == 1 and not isinstance(items[0], tuple):
        value = items[0]
        if isinstance(value, bool):
            value = "true" if value else "false"
        elif isinstance(value, (float,) + mes.compat.integer_types):
            value = _number(value)
        out.append(u"%s<%s%s>%s</%s>" % (pad, name, attr_text, escape(mes.compat.text(value)), name))
    else:
        out.append(u"%s<%s%s>" % (pad, name, attr_text))
        for item in items:
            _render(item, out, indent + 1)
        out.append(u"%s</%s>" % (pad, name))


def serialize(node):
    """Render a node tree built with `element` as UTF-8 XML text (with declaration)."""
    out = [u'<?xml version="1.0" encoding="UTF-8"?>']
    _render(node, out, 0)
    return u"\n".join(out) + u"\n"
