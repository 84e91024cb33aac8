"""The Ignition project format as Genba writes and reads it: resource paths, resource.json, signatures.

One place that knows where each kind of resource lives in an Ignition 8.1/8.3 project export and
which resource.json fields the gateway writes for it. The exporter, the importer and the checker all
build on these tables, so a format fact is stated once.

Facts (see docs/deploy.md for sources and what is unverified):
- script module: ``ignition/script-python/<pkg>/<module>/code.py``, scope "A", version 1,
  attributes ``hintScope`` 2; packages are plain folders holding module folders.
- view: ``com.inductiveautomation.perspective/views/<path>/view.json`` (+ ``thumbnail.png`` when the
  designer made one), scope "G", version 1.
- named query: ``ignition/named-query/<path>/query.sql``, scope "DG", version 2; settings live in
  ``attributes`` (type, database, parameters with numeric ``sqlType`` …).
- gateway events (8.3 file layout): ``ignition/startup/onStartup.py``, ``ignition/timer/<n>/
  handleTimerEvent.py`` …, scope "G", version 1, settings in ``attributes``.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import json
from dataclasses import dataclass

__all__ = [
    "ACTOR",
    "CHANGE_TYPES",
    "EVENT_DATA_BIN_81",
    "EVENT_KINDS",
    "NQ_DEFAULT_ATTRIBUTES",
    "NQ_ROOT",
    "SCRIPT_ROOT",
    "SQL_TYPES",
    "VIEW_ROOT",
    "DeployError",
    "Problem",
    "EventKind",
    "dump_json",
    "iso_timestamp",
    "load_json_bytes",
    "resource_json",
    "signature",
]

SCRIPT_ROOT = "ignition/script-python"
VIEW_ROOT = "com.inductiveautomation.perspective/views"
NQ_ROOT = "ignition/named-query"
EVENT_DATA_BIN_81 = "ignition/event-scripts/data.bin"

#: The actor recorded in ``lastModification`` of every exported resource.
ACTOR = "genba"

#: Named-query parameter types: the order of Ignition's DataType enum, which is what the numeric
#: ``sqlType`` of a parameter in resource.json holds (Int8 = 3, Boolean = 6, String = 7 …).
SQL_TYPES = [
    "Int1", "Int2", "Int4", "Int8", "Float4", "Float8", "Boolean", "String", "DateTime", "Text",
    "Int1Array", "Int2Array", "Int4Array", "Int8Array", "Float4Array", "Float8Array",
    "BooleanArray", "StringArray", "DateTimeArray", "ByteArray", "DataSet", "Document",
]

#: Attributes the designer writes for a new named query, besides type/database/parameters.
NQ_DEFAULT_ATTRIBUTES = {
    "autoBatchEnabled": False,
    "cacheAmount": 1,
    "cacheEnabled": False,
    "cacheUnit": "SEC",
    "enabled": True,
    "fallbackEnabled": False,
    "fallbackValue": "",
    "maxReturnSize": 100,
    "permissions": [{"role": "", "zone": ""}],
    "useMaxReturnSize": False,
}

#: Source `config.json` change-type words and the names 8.3 writes in a tag-change resource.
CHANGE_TYPES = {"value": "ValueChange", "quality": "QualityChange", "timestamp": "TimestampChange"}


@dataclass(frozen=True)
class EventKind:
    """One kind of gateway event: its folder under project/events and under ``ignition/``."""

    kind: str            # folder name, the same in project/events and in the 8.3 export
    script: str          # the handler file, named after the handler function
    singleton: bool      # startup/shutdown/update have no name level
    keep: tuple          # settings always kept in config.json on import
    implicit: dict       # attributes the gateway adds that a source config may leave out


EVENT_KINDS = {
    k.kind: k
    for k in [
        EventKind("startup", "onStartup.py", True, (), {}),
        EventKind("shutdown", "onShutdown.py", True, (), {}),
        EventKind("update", "onUpdate.py", True, (), {}),
        EventKind("timer", "handleTimerEvent.py", False, ("delay", "fixedDelay", "enabled"),
                  {"sharedThread": True}),
        EventKind("tag-change", "onTagChange.py", False, ("paths", "changeTypes", "enabled"), {}),
        EventKind("scheduled", "handleScheduleEvent.py", False, ("cronExpression", "enabled"), {}),
        EventKind("message", "handleMessage.py", False, ("threadType",), {}),
    ]
}


class DeployError(Exception):
    """Bad input for export/import/check; carries every problem found."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(frozen=True, order=True)
class Problem:
    """One finding, printed as ``file: json-path: problem``."""

    file: str
    where: str
    message: str

    def __str__(self):
        return "%s: %s: %s" % (self.file, self.where, self.message)


def iso_timestamp(epoch_seconds):
    """``2026-01-05T06:00:00Z`` for an epoch second count (UTC), as resource.json stores it."""
    moment = _dt.datetime.fromtimestamp(int(epoch_seconds), tz=_dt.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def dump_json(value):
    """Stable JSON text as Genba writes it: 2-space indent, key order kept, UTF-8, final newline."""
    return (json.dumps(value, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def load_json_bytes(data, file):
    """Parse JSON bytes; a syntax error becomes a DeployError naming the file, line and column."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DeployError([Problem(file, "$", "not UTF-8 text (%s)" % exc.reason)])
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise DeployError([Problem(file, "$", "invalid JSON at line %d column %d: %s"
                                   % (exc.lineno, exc.colno, exc.msg))])


def signature(manifest, files):
    """SHA-256 over a resource: its manifest (without the signature) and each data file.

    Ignition's own signature algorithm is internal to the gateway; this value is Genba's content
    digest, so two exports of the same source carry the same value and any hand edit is visible.
    Gateways load resources whose signature they did not compute (docs/deploy.md).
    """
    body = json.loads(json.dumps(manifest))
    body.get("attributes", {}).pop("lastModificationSignature", None)
    digest = hashlib.sha256()
    digest.update(json.dumps(body, sort_keys=True, separators=(",", ":")).encode("utf-8"))
    for name in sorted(files):
        digest.update(b"\0" + name.encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(files[name]).digest())
    return digest.hexdigest()


def resource_json(scope, version, files, attributes, timestamp):
    """The resource.json bytes for one resource whose data files are ``files`` {name: bytes}."""
    attrs = {"lastModification": {"actor": ACTOR, "timestamp": timestamp}}
    for key in sorted(attributes):
        attrs[key] = attributes[key]
    manifest = {
        "scope": scope,
        "version": version,
        "restricted": False,
        "overridable": True,
        "files": list(files),  # the data file first, as the designer lists them
        "attributes": attrs,
    }
    attrs["lastModificationSignature"] = signature(manifest, files)
    return dump_json(manifest)
