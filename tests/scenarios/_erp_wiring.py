"""Attach system.db (with the project migrations) and system.net to a harness Gateway when the
Gateway does not do it itself yet. Common subset: scenarios on Jython use it too."""
from __future__ import absolute_import, division, print_function

import os


def wire(gw, databases=None):
    """Make sure `gw.system.db` works on the project schema and `gw.system.net.httpClient` exists."""
    from harness.core.system.namespace import Namespace
    if "runPrepQuery" not in dir(gw.system.db):
        from harness.core.db import DbService
        from harness.core import migrations
        service = DbService(databases or gw.databases, gw.default_database, clock=gw.clock)
        gw.system.db = service
        migrations.upgrade(service, os.path.join(gw.project_dir, "db", "migrations"))
    if "net" not in dir(gw.system) or "httpClient" not in dir(gw.system.net):
        from harness.core import net
        gw.system.net = Namespace("system.net", {"httpClient": net.httpClient})
    return gw
