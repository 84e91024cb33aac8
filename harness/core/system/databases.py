"""system.db and system.dataset for a gateway: configured connections, migrations, store-and-forward."""
from __future__ import absolute_import, division, print_function

import hashlib
import os

from ..dataset import DatasetFunctions
from ..db import DatabaseError, DbService
from .. import migrations
from .namespace import Namespace

__all__ = ["DEFAULT_DATABASE", "make_dataset_namespace", "make_db_namespace"]

DEFAULT_DATABASE = "genba"

_DB_FUNCTIONS = ("runQuery", "runPrepQuery", "runScalarQuery", "runScalarPrepQuery", "runUpdateQuery",
                 "runPrepUpdate", "beginTransaction", "commitTransaction", "rollbackTransaction",
                 "closeTransaction", "runNamedQuery", "runSFPrepUpdate", "runSFUpdateQuery")
_DB_CONSTANTS = ("READ_UNCOMMITTED", "READ_COMMITTED", "REPEATABLE_READ", "SERIALIZABLE",
                 "BIT", "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "FLOAT", "REAL", "DOUBLE", "NUMERIC",
                 "DECIMAL", "CHAR", "VARCHAR", "LONGVARCHAR", "DATE", "TIME", "TIMESTAMP", "BINARY",
                 "VARBINARY", "LONGVARBINARY", "NULL", "OTHER", "BOOLEAN")
_DATASET_FUNCTIONS = ("toDataSet", "toPyDataSet", "addRow", "addRows", "deleteRow", "deleteRows", "setValue",
                      "updateRow", "addColumn", "filterColumns", "sort", "clearDataset", "appendDataset",
                      "getColumnHeaders", "toCSV", "fromCSV")


def make_dataset_namespace():
    """system.dataset: the functions of harness.core.dataset."""
    functions = DatasetFunctions()
    return Namespace("system.dataset", dict((name, getattr(functions, name)) for name in _DATASET_FUNCTIONS))


def _var_dir(project_dir):
    folder = os.path.join(os.path.dirname(os.path.abspath(project_dir)), "var")
    if not os.path.isdir(folder):
        os.makedirs(folder)
    return folder


def _journal_path(url, project_dir):
    if url.startswith("sqlite:///") and ":memory:" not in url:
        return url[len("sqlite:///"):] + ".sf-journal"
    digest = hashlib.sha1(url.encode("utf-8")).hexdigest()[:12]
    return os.path.join(_var_dir(project_dir), "store-forward-%s.journal" % digest)


def make_db_service(project_dir, clock, databases=None, default_database=None):
    """The DbService of a gateway: migrations applied on start (or first use if the database is down)."""
    if not databases:
        databases = {DEFAULT_DATABASE: "sqlite:///" + os.path.join(_var_dir(project_dir), "genba.db")}
    default = default_database or (DEFAULT_DATABASE if DEFAULT_DATABASE in databases else sorted(databases)[0])
    service = DbService(databases, default, clock=clock,
                        queries_dir=os.path.join(project_dir, "db", "queries"))
    migrations_dir = os.path.join(project_dir, "db", "migrations")

    def migrate(svc, name):
        if os.path.isdir(migrations_dir):
            migrations.upgrade(svc, migrations_dir, name)

    service.on_first_use = migrate
    if hasattr(clock, "call_later"):
        service.store_forward_scheduler = clock.call_later
    url = service.url()
    if hasattr(url, "startswith"):
        service.store_forward_path = _journal_path(url, project_dir)
    for name in service.database_names():
        try:
            service.connector(name)
        except migrations.MigrationError:
            raise
        except DatabaseError:
            pass  # unreachable now: migrated on first use
    path = service.store_forward_path
    if path and os.path.exists(path) and os.path.getsize(path) > 0:
        service.enable_store_forward(path).drain()
    return service


def make_db_namespace(project_dir, clock, databases=None, default_database=None):
    """system.db for a gateway; `_service` is the DbService, `_close()` releases its connections."""
    service = make_db_service(project_dir, clock, databases, default_database)
    members = dict((name, getattr(service, name)) for name in _DB_FUNCTIONS + _DB_CONSTANTS)
    members["_service"] = service
    members["_close"] = service.close
    return Namespace("system.db", members)
