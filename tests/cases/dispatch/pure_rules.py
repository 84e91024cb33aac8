"""Pure dispatch rules on this interpreter, printed as one JSON line (run on CPython and Jython)."""
from __future__ import print_function
import binascii, json, sys
from harness.core.library import ScriptLibrary
from harness.core.system.namespace import Namespace
lib = ScriptLibrary("project/scripts", {"system": Namespace("system")})
sec = lib.resolve("mes.security")
out = {}
out["pbkdf2"] = binascii.hexlify(sec.pbkdf2_sha256(b"passwd", b"salt", 1, 64)).decode("ascii")
out["pbkdf2_u"] = binascii.hexlify(sec.pbkdf2_sha256(u"p\u00e4ss", b"NaCl", 1234)).decode("ascii")
h = sec.hash_password("secret", 1000, b"0123456789abcdef")
out["hash"] = h
out["check"] = [sec.check_password("secret", h), sec.check_password("Secret", h)]
audit = lib.resolve("mes.audit")
row = {"seq": 7, "recorded_at": "2026-01-05T06:00:00.000Z", "actor": u"\u00c5sa", "action": "x",
       "subject": "wo/1", "details": audit.canonical({"q": 0.1, "n": 3, "s": u"caf\u00e9", "b": [True, None]}),
       "reason": "'; DROP TABLE x; --", "prev_hash": "0" * 64}
out["canonical"] = row["details"]
out["row_hash"] = audit.row_hash(row)
routing = lib.resolve("mes.routing")
ops = [{"op_seq": 10, "parallel_group": None, "optional": False, "status": "complete"},
       {"op_seq": 20, "parallel_group": "A", "optional": False, "status": "in_progress"},
       {"op_seq": 30, "parallel_group": "A", "optional": False, "status": "released"},
       {"op_seq": 40, "parallel_group": None, "optional": True, "status": "released"},
       {"op_seq": 50, "parallel_group": None, "optional": False, "status": "released"}]
out["blocking"] = [routing.blocking(ops, s) for s in (10, 20, 30, 40, 50)]
out["skippable"] = routing.skippable(ops, 50)
g = lib.resolve("mes.guidance")
out["measure"] = [g.validate_value({"kind": "measurement", "spec": {}, "step_no": 1}, v) for v in (12.5, "0.1", 3, 1e16, 2.675)]
tm = lib.resolve("mes.transaction")
out["iso"] = [tm.iso_from_millis(v) for v in (0, 1767592800123, 1767592800999)]
print(json.dumps(out, sort_keys=True))
