"""An in-process host for the quality unit tests: the `mes` library over the harness `system.db`.

It reuses the small host of the dispatch tests (settable clock, in-memory tags, library loader)
and swaps in the harness's real `system.db` (`harness.core.db.DbService` on SQLite, migrations
applied by `harness.core.migrations`), so the SQL is run exactly as on the gateway harness.
"""
from __future__ import absolute_import, division, print_function

import datetime
import os
import sqlite3
import types

from dispatch_host import MIGRATIONS, SCRIPTS, Date, Package, Tag, Util

from harness.core import migrations
from harness.core.db import DbService


class QualityHost(object):
    """`host.mes` is the library, `host.system` its system, `host.table(sql)` reads the file."""

    def __init__(self, db_path):
        date = Date(datetime.datetime(2026, 1, 5, 6, 0, 0))
        db = DbService({"genba": "sqlite:///" + db_path}, "genba", clock=lambda: date.toMillis(date.now()))
        migrations.upgrade(db, MIGRATIONS, now=date.now())
        self.system = types.SimpleNamespace(db=db, date=date, tag=Tag(), util=Util())
        self.mes = Package(self, "mes", os.path.join(SCRIPTS, "mes"))
        self.path = db_path

    def advance(self, seconds):
        self.system.date.current += datetime.timedelta(seconds=seconds)

    def table(self, sql):
        connection = sqlite3.connect(self.path)
        try:
            return connection.execute(sql).fetchall()
        finally:
            connection.close()

    def snapshot(self):
        """Every row of every table: equal snapshots mean nothing was written."""
        connection = sqlite3.connect(self.path)
        try:
            names = [r[0] for r in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
            return dict((n, sorted(connection.execute("SELECT * FROM " + n).fetchall(), key=repr))
                        for n in names)
        finally:
            connection.close()
