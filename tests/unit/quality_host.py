"""An in-process host for the quality unit tests: the `mes` library over the harness `system.db`.

It reuses the small host of the dispatch tests (settable clock, in-memory tags, library loader)
and swaps in the harness's real `system.db` (`harness.core.db.DbService`, migrations applied by
`harness.core.migrations`) on SQLite or PostgreSQL, so the SQL runs exactly as on the gateway.
"""
from __future__ import absolute_import, division, print_function

import datetime
import os
import types

from dispatch_host import MIGRATIONS, SCRIPTS, Date, Package, Tag, Util

from harness.core import migrations
from harness.core.db import DbService

_TABLES = {
    "sqlite": "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
    "postgresql": "SELECT table_name FROM information_schema.tables "
                  "WHERE table_schema = current_schema() ORDER BY table_name",
}


class QualityHost(object):
    """`host.mes` is the library, `host.system` its system, `host.table(sql)` reads rows."""

    def __init__(self, url):
        date = Date(datetime.datetime(2026, 1, 5, 6, 0, 0))
        db = DbService({"genba": url}, "genba", clock=lambda: date.toMillis(date.now()))
        migrations.upgrade(db, MIGRATIONS, now=date.now())
        self.system = types.SimpleNamespace(db=db, date=date, tag=Tag(), util=Util())
        self.mes = Package(self, "mes", os.path.join(SCRIPTS, "mes"))

    def close(self):
        self.system.db.close()

    def advance(self, seconds):
        self.system.date.current += datetime.timedelta(seconds=seconds)

    def table(self, sql, args=()):
        """Rows of a query as tuples."""
        dataset = self.system.db.runPrepQuery(sql, list(args), "genba")
        width = len(dataset.getColumnNames())
        return [tuple(row[c] for c in range(width)) for row in dataset]

    def execute(self, sql, args=()):
        return self.system.db.runPrepUpdate(sql, list(args), "genba")

    def snapshot(self):
        """Every row of every table: equal snapshots mean nothing was written."""
        names = [row[0] for row in self.table(_TABLES[self.system.db.dialect("genba")])]
        return dict((n, sorted(self.table("SELECT * FROM " + n), key=repr)) for n in names)
