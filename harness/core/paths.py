"""Tag paths: `[provider]Folder/Sub/Tag.property`, parsed once into their parts."""
from __future__ import absolute_import, division, print_function

from .compat import string_types, text_type

__all__ = ["TagPath", "join", "parse_path"]

DEFAULT_PROVIDER = "default"


class TagPath(object):
    """A parsed tag path: provider (None = the default one), folder-relative parts, property.

    `str()` gives the canonical form `[provider]A/B/C` (plus `.property` when one was named).
    Relative sources `[.]` (the folder of the tag an event runs for) and `[~]` (that tag's provider)
    are resolved by `parse_path` when a base is given.
    """

    __slots__ = ("provider", "parts", "prop")

    def __init__(self, provider, parts, prop=None):
        self.provider = provider
        self.parts = tuple(parts)
        self.prop = prop

    @property
    def itemName(self):
        return self.parts[-1] if self.parts else u""

    def getItemName(self):
        return self.itemName

    def getSource(self):
        return self.provider

    def getParentPath(self):
        return TagPath(self.provider, self.parts[:-1])

    def child(self, name):
        return TagPath(self.provider, self.parts + (name,))

    def key(self):
        """The case-insensitive lookup key of the tag (the property is not part of it)."""
        return u"/".join(part.lower() for part in self.parts)

    def without_property(self):
        return TagPath(self.provider, self.parts)

    def __str__(self):
        text = u"[%s]%s" % (self.provider, u"/".join(self.parts))
        if self.prop:
            text += u"." + self.prop
        return text

    def __repr__(self):
        return "TagPath(%r)" % (text_type(self),)

    def __eq__(self, other):
        return isinstance(other, TagPath) and text_type(self).lower() == text_type(other).lower()

    def __ne__(self, other):
        return not self.__eq__(other)

    def __hash__(self):
        return hash(text_type(self).lower())


def parse_path(path, default_provider=DEFAULT_PROVIDER, base=None):
    """Parse a tag path string (or TagPath); `base` is the TagPath of a folder for `[.]` and `[~]`.

    Raises ValueError naming the path when its syntax is invalid.
    """
    if isinstance(path, TagPath):
        return path
    if not isinstance(path, string_types):
        raise ValueError("a tag path must be a string, got %r" % (path,))
    text = path.strip()
    provider = None
    relative_parts = ()
    if text.startswith("["):
        close = text.find("]")
        if close < 0:
            raise ValueError("tag path %r has an unclosed '['" % (path,))
        source = text[1:close]
        text = text[close + 1:]
        if source == ".":
            if base is None:
                raise ValueError("tag path %r is relative ([.]) but has no base tag" % (path,))
            provider, relative_parts = base.provider, base.parts
        elif source == "~":
            if base is None:
                raise ValueError("tag path %r is relative ([~]) but has no base tag" % (path,))
            provider = base.provider
        elif source:
            provider = source
    prop = None
    last_slash = text.rfind("/")
    dot = text.find(".", last_slash + 1)
    if dot >= 0:
        text, prop = text[:dot], text[dot + 1:]
        if not prop:
            raise ValueError("tag path %r ends with an empty property" % (path,))
    parts = [part for part in text.split("/") if part != ""]
    resolved = list(relative_parts)
    for part in parts:
        if part == "..":
            if not resolved:
                raise ValueError("tag path %r climbs above its provider" % (path,))
            resolved.pop()
        else:
            resolved.append(part)
    return TagPath(provider or default_provider, resolved, prop)


def join(*parts):
    """Join path pieces with '/', skipping empty ones."""
    return u"/".join(p.strip("/") for p in parts if p and p.strip("/"))
