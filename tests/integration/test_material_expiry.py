"""The hourly expiry timer marks lots past their expiry date `expired`; the public names of the
material modules are pinned."""
from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "support"))

import material_world as world  # noqa: E402

from material_library_names import PUBLIC  # noqa: E402


def test_lot_becomes_expired_on_the_first_timer_run_after_its_expiry_day(make_gateway):
    gw = make_gateway(start="2026-01-05T06:00:00")
    world.setup(gw)
    world.released_lot(gw, "RESIN-A", "L-SHORT", 10.0, "KG", "2026-01-06")
    world.released_lot(gw, "RESIN-A", "L-LONG", 10.0, "KG", "2026-06-30")
    gw.clock.advance(24 * 3600)  # 2026-01-06 06:00: still usable on its expiry day
    assert gw.call("mes.lot.get", "L-SHORT", "RESIN-A")["status"] == "released"
    gw.clock.advance(24 * 3600)  # 2026-01-07 06:00
    assert [gw.call("mes.lot.get", lot, "RESIN-A")["status"] for lot in ("L-SHORT", "L-LONG")] == ["expired", "released"]
    journal = gw.system.db.runPrepQuery(
        "SELECT t.kind, t.status_after, t.actor, t.reason FROM lot_transactions t JOIN mat_units u ON u.id = t.unit_id "
        "WHERE u.code = ? ORDER BY t.id", ["L-SHORT"])
    assert [list(row) for row in journal][-1] == ["status", "expired", "system", "expiry date passed"]


def test_public_names_of_the_material_modules_are_pinned(make_gateway):
    gw = make_gateway(start="2026-01-05T06:00:00")
    for module, names in PUBLIC.items():
        exported = gw.eval("mes.%s.__all__" % module)
        assert exported == names, module
        assert all(gw.eval("hasattr(mes.%s, %r)" % (module, name)) for name in names)
