"""system.tag: reads, writes, browse and configuration over the harness TagRuntime."""
from __future__ import absolute_import, division, print_function

import io
import json

from ..compat import string_types
from ..quality import QualityCode
from .namespace import Namespace

__all__ = ["make_tag_namespace"]

DEFAULT_TIMEOUT_MILLIS = 45000


def _as_list(paths):
    return [paths] if isinstance(paths, string_types) else list(paths)


def make_tag_namespace(runtime, dispatcher):
    """The `system.tag` area bound to a gateway's tag runtime and event queue."""

    def readBlocking(tagPaths, timeout=DEFAULT_TIMEOUT_MILLIS):
        return [runtime.read(path) for path in _as_list(tagPaths)]

    def writeBlocking(tagPaths, values, timeout=DEFAULT_TIMEOUT_MILLIS):
        paths = _as_list(tagPaths)
        values = [values] if isinstance(tagPaths, string_types) else list(values)
        if len(paths) != len(values):
            raise ValueError("writeBlocking got %d paths but %d values" % (len(paths), len(values)))
        return [runtime.write(path, value) for path, value in zip(paths, values)]

    def readAsync(tagPaths, callback):
        results = readBlocking(tagPaths)
        dispatcher.post("system.tag.readAsync callback", callback, results)

    def writeAsync(tagPaths, values, callback=None):
        results = writeBlocking(tagPaths, values)
        if callback is not None:
            dispatcher.post("system.tag.writeAsync callback", callback, results)

    def read(tagPath):
        """Deprecated 7.x read of one path."""
        return runtime.read(tagPath)

    def readAll(tagPaths):
        return readBlocking(tagPaths)

    def write(tagPath, value, suppressErrors=False):
        """Deprecated 7.x write: 1 when the write succeeded, 0 when it failed."""
        return 1 if runtime.write(tagPath, value).isGood() else 0

    def writeAll(tagPaths, values):
        return [1 if q.isGood() else 0 for q in writeBlocking(tagPaths, values)]

    def exists(tagPath):
        return runtime.exists(tagPath)

    def browse(path="", filter=None):
        return runtime.browse(path, filter)

    def configure(basePath, tags, collisionPolicy="o"):
        return runtime.configure(basePath, tags, collisionPolicy)

    def getConfiguration(basePath, recursive=False):
        return runtime.get_configuration(basePath, recursive)

    def deleteTags(tagPaths):
        return [runtime.delete(path) for path in _as_list(tagPaths)]

    def exportTags(filePath=None, tagPaths=None, recursive=True, exportType="json"):
        if exportType != "json":
            raise ValueError("the harness exports tags as json only, not %r" % (exportType,))
        configs = []
        for path in _as_list(tagPaths or [""]):
            configs.extend(runtime.get_configuration(path, recursive))
        for config in configs:
            config.pop("path", None)
        text = json.dumps({"tags": configs}, indent=2, sort_keys=True)
        if filePath is None:
            return text
        with io.open(filePath, "w", encoding="utf-8") as handle:
            handle.write(u"%s" % text)
        return None

    def importTags(filePath, basePath, collisionPolicy="o"):
        with io.open(filePath, encoding="utf-8") as handle:
            data = json.loads(handle.read())
        tags = data.get("tags", []) if isinstance(data, dict) and data.get("tagType") in (None, "Provider") \
            else data
        return configure(basePath, tags, collisionPolicy)

    return Namespace("system.tag", {
        "readBlocking": readBlocking, "writeBlocking": writeBlocking, "readAsync": readAsync,
        "writeAsync": writeAsync, "read": read, "readAll": readAll, "write": write,
        "writeAll": writeAll, "exists": exists, "browse": browse, "configure": configure,
        "getConfiguration": getConfiguration, "deleteTags": deleteTags, "exportTags": exportTags,
        "importTags": importTags, "DEFAULT_TIMEOUT_MILLIS": DEFAULT_TIMEOUT_MILLIS,
        "QualityCode": QualityCode,
    })
