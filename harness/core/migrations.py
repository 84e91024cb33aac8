"""Schema migrations: `project/db/migrations/NNNN_<slug>.sql`, applied in order, each in one transaction.

Python 2.7/3 common subset. Applied migrations are recorded in `schema_migrations` (version, name,
SHA-256 checksum of the file with line endings normalised to "\\n", applied_at from the gateway
clock). Before applying anything the runner checks every recorded migration against its file:
a changed or missing file is a `MigrationError` (fix forward with a new migration instead).
The only placeholder, `{{id}}`, is expanded per dialect (see project/db/README.md).
"""
from __future__ import absolute_import, division, print_function

import hashlib
import io
import os
import re

from harness.core.db import DatabaseError
from harness.core.sqltext import expand_id_placeholder, split_statements

__all__ = ["Migration", "MigrationError", "VERSION_TABLE", "applied_migrations", "discover", "pending",
           "status", "upgrade"]

VERSION_TABLE = "schema_migrations"
_FILE = re.compile(r"^(\d{4})_([a-z0-9][a-z0-9_]*)\.sql$")
_BOOTSTRAP = ("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
              "name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at TIMESTAMP NOT NULL)")


class MigrationError(DatabaseError):
    """A migration file is malformed, changed after it was applied, or failed to apply."""
    code = "migration_error"


class Migration(object):
    """One migration file: `version` (int), `name` (slug), `path`, `text`, `checksum`."""

    def __init__(self, version, name, path, text):
        self.version = version
        self.name = name
        self.path = path
        self.text = text
        self.checksum = hashlib.sha256(text.replace("\r\n", "\n").encode("utf-8")).hexdigest()

    def statements(self, dialect):
        return split_statements(expand_id_placeholder(self.text, dialect))

    def __repr__(self):
        return "Migration(%04d, %r)" % (self.version, self.name)


def discover(migrations_dir):
    """Every migration file in `migrations_dir`, sorted by version. Bad names are errors."""
    found = []
    if not os.path.isdir(migrations_dir):
        return found
    seen = {}
    for filename in sorted(os.listdir(migrations_dir)):
        if not filename.endswith(".sql"):
            continue
        match = _FILE.match(filename)
        if not match:
            raise MigrationError("Migration file %r must be named NNNN_lower_snake_slug.sql." % (filename,))
        version = int(match.group(1))
        if version in seen:
            raise MigrationError("Migrations %r and %r share the number %04d; renumber one."
                                 % (seen[version], filename, version))
        seen[version] = filename
        path = os.path.join(migrations_dir, filename)
        with io.open(path, encoding="utf-8") as handle:
            found.append(Migration(version, match.group(2), path, handle.read()))
    return sorted(found, key=lambda m: m.version)


def applied_migrations(service, database=""):
    """{version: (name, checksum)} recorded in the database (creates the version table if needed)."""
    service.runUpdateQuery(_BOOTSTRAP, database)
    rows = service.runQuery("SELECT version, name, checksum FROM schema_migrations ORDER BY version", database)
    return dict((int(r[0]), (r[1], r[2])) for r in rows)


def _verify(migrations, applied):
    by_version = dict((m.version, m) for m in migrations)
    for version in sorted(applied):
        name, checksum = applied[version]
        migration = by_version.get(version)
        if migration is None:
            raise MigrationError("Migration %04d_%s is recorded as applied but its file is missing." % (version, name))
        if migration.checksum != checksum:
            raise MigrationError("Migration %s was changed after it was applied (checksum %s, file %s); "
                                 "restore it and add a new migration instead."
                                 % (os.path.basename(migration.path), checksum[:12], migration.checksum[:12]))


def pending(service, migrations_dir, database=""):
    """Migrations not yet applied, after checking the applied ones against their files."""
    migrations = discover(migrations_dir)
    applied = applied_migrations(service, database)
    _verify(migrations, applied)
    return [m for m in migrations if m.version not in applied]


def status(service, migrations_dir, database=""):
    """A JSON-ready summary: applied and pending versions, database name and dialect."""
    migrations = discover(migrations_dir)
    applied = applied_migrations(service, database)
    _verify(migrations, applied)
    return {"database": database or service.default_database, "dialect": service.dialect(database),
            "applied": ["%04d_%s" % (v, applied[v][0]) for v in sorted(applied)],
            "pending": ["%04d_%s" % (m.version, m.name) for m in migrations if m.version not in applied]}


def upgrade(service, migrations_dir, database="", now=None):
    """Apply every pending migration in order; returns the applied names (`NNNN_slug`)."""
    todo = pending(service, migrations_dir, database)
    dialect = service.dialect(database)
    done = []
    for migration in todo:
        tx = service.beginTransaction(database, timeout=-1)
        try:
            for statement in migration.statements(dialect):
                try:
                    service.runUpdateQuery(statement, tx=tx)
                except DatabaseError as exc:
                    raise MigrationError("Migration %s failed: %s" % (os.path.basename(migration.path), exc.driver_message),
                                         sql=statement, args=[], database=database, driver_message=exc.driver_message,
                                         cause=exc)
            service.runPrepUpdate("INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)",
                                  [migration.version, migration.name, migration.checksum,
                                   now if now is not None else service.now()], tx=tx)
            service.commitTransaction(tx)
        finally:
            service.closeTransaction(tx)
        done.append("%04d_%s" % (migration.version, migration.name))
    return done
