"""mes.security: roles, station sign-in and electronic signatures."""
import binascii
import hashlib

import pytest

from dispatch_host import Host

FAST = 1000  # PBKDF2 iterations for test users


@pytest.fixture
def host(tmp_path):
    host = Host(str(tmp_path / "genba.db"))
    sec = host.mes.security
    sec.bootstrap_admin("root", "root-pw", iterations=FAST)
    sec.create_user("root", "ana", "ana-pw", ["operator"], "Ana Ruiz", iterations=FAST)
    sec.create_user("root", "lee", "lee-pw", ["lead"], iterations=FAST)
    sec.create_user("root", "quinn", "quinn-pw", ["quality"], iterations=FAST)
    sec.create_user("root", "eve", "eve-pw", ["engineer"], iterations=FAST)
    host.mes.workcenter.define("eve", "WC-PRESS", "Press")
    host.mes.workcenter.define_station("eve", "ST-PRESS-1", "WC-PRESS")
    host.mes.workcenter.define_station("eve", "ST-PRESS-2", "WC-PRESS")
    yield host
    host.close()



def test_the_pure_python_pbkdf2_agrees_with_the_rfc_vector_and_hashlib(tmp_path):
    sec = Host(str(tmp_path / "g.db")).mes.security
    assert binascii.hexlify(sec.pbkdf2_sha256(b"passwd", b"salt", 1, 64)).decode() == (
        "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
        "49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783")
    assert sec.pbkdf2_sha256("pässword", b"NaCl", 1234) == hashlib.pbkdf2_hmac(
        "sha256", "pässword".encode("utf-8"), b"NaCl", 1234)


def test_no_password_is_stored_in_plain_text(host):
    stored = host.table("SELECT password_hash FROM users WHERE username = 'ana'")[0][0]
    scheme, iterations, salt, digest = stored.split("$")
    assert (scheme, iterations, len(salt), len(digest)) == ("pbkdf2_sha256", "1000", 32, 64)
    assert "ana-pw" not in repr(host.snapshot())


def test_two_users_with_the_same_password_get_different_hashes(host):
    host.mes.security.create_user("root", "ann", "ana-pw", ["operator"], iterations=FAST)
    hashes = host.table("SELECT password_hash FROM users WHERE username IN ('ana', 'ann')")
    assert hashes[0] != hashes[1]


@pytest.mark.parametrize("user, role, allowed", [
    ("ana", "operator", True), ("ana", "lead", False), ("lee", "operator", True),
    ("lee", "lead", True), ("root", "engineer", True), ("root", "quality", False),
    ("quinn", "quality", True), ("eve", "operator", False)])
def test_roles_imply_only_admin_to_engineer_lead_operator_and_lead_to_operator(
        host, user, role, allowed):
    assert host.mes.security.has_role(user, role) is allowed


def test_require_role_names_the_user_and_the_role(host):
    with pytest.raises(host.mes.security.MissingRole,
                       match=r"User 'ana' lacks the role 'quality'\."):
        host.mes.security.require_role("ana", "quality")


def test_require_role_refuses_an_unknown_user_as_permission_denied(host):
    with pytest.raises(host.mes.errors.PermissionDenied, match="Unknown or inactive user 'zed'"):
        host.mes.security.require_role("zed", "operator")


def test_only_an_admin_creates_users(host):
    before = host.snapshot()
    with pytest.raises(host.mes.security.MissingRole):
        host.mes.security.create_user("lee", "max", "max-pw", ["admin"], iterations=FAST)
    assert host.snapshot() == before


def test_a_second_bootstrap_admin_is_refused(host):
    with pytest.raises(host.mes.errors.StateConflict):
        host.mes.security.bootstrap_admin("other", "pw-pw", iterations=FAST)


def test_sign_in_records_the_station_and_an_audit_row(host):
    host.mes.security.sign_in("ana", "ana-pw", "ST-PRESS-1")
    assert host.mes.security.signed_in_station("ana") == "ST-PRESS-1"
    assert host.mes.security.operators_at("ST-PRESS-1") == ["ana"]
    last = host.mes.audit.history(actor="ana")[-1]
    assert (last["action"], last["subject"]) == ("security.sign_in", "station/ST-PRESS-1")


def test_sign_in_with_a_wrong_password_writes_nothing(host):
    before = host.snapshot()
    with pytest.raises(host.mes.security.AuthenticationFailed):
        host.mes.security.sign_in("ana", "guess", "ST-PRESS-1")
    assert host.snapshot() == before


def test_sign_in_at_an_unknown_station_is_refused(host):
    with pytest.raises(host.mes.workcenter.UnknownStation, match="'ST-NOPE'"):
        host.mes.security.sign_in("ana", "ana-pw", "ST-NOPE")


def test_an_operator_signed_in_elsewhere_must_sign_out_first(host):
    host.mes.security.sign_in("ana", "ana-pw", "ST-PRESS-1")
    with pytest.raises(host.mes.errors.StateConflict, match="already signed in at station"):
        host.mes.security.sign_in("ana", "ana-pw", "ST-PRESS-2")


def test_require_signed_in_names_the_station_the_user_is_at(host):
    host.mes.security.sign_in("ana", "ana-pw", "ST-PRESS-1")
    host.mes.security.require_signed_in("ana", "ST-PRESS-1")
    with pytest.raises(host.mes.security.NotSignedIn, match="at station 'ST-PRESS-1', not at "
                       "'ST-PRESS-2'"):
        host.mes.security.require_signed_in("ana", "ST-PRESS-2")


def test_sign_out_ends_the_session(host):
    host.mes.security.sign_in("ana", "ana-pw", "ST-PRESS-1")
    assert host.mes.security.sign_out("ana") == "ST-PRESS-1"
    assert host.mes.security.signed_in_station("ana") is None


def test_a_signature_stores_the_meaning_and_is_in_the_audit_trail(host):
    host.advance(60)
    sid = host.mes.security.sign("quinn", "quinn-pw", "dispositioned as scrap",
                                 subject="ncr/7", role="quality")
    assert sid == 1
    got = host.mes.security.signature(sid)
    assert (got["username"], got["meaning"], got["subject"], got["signed_at"]) == (
        "quinn", "dispositioned as scrap", "ncr/7", "2026-01-05T06:01:00.000Z")
    last = host.mes.audit.history(subject="ncr/7")[-1]
    assert (last["action"], last["details"]) == (
        "security.sign", {"meaning": "dispositioned as scrap", "signature_id": 1})


@pytest.mark.parametrize("user, password, role, error", [
    ("quinn", "wrong", "quality", "AuthenticationFailed"),
    ("ana", "ana-pw", "quality", "MissingRole"),
    ("ghost", "x", None, "UnknownUser")])
def test_a_failed_signature_raises_permission_denied_and_writes_nothing(
        host, user, password, role, error):
    before = host.snapshot()
    with pytest.raises(getattr(host.mes.security, error)) as raised:
        host.mes.security.sign(user, password, "approved", role=role)
    assert isinstance(raised.value, host.mes.errors.PermissionDenied)
    assert host.snapshot() == before


def test_a_signature_without_a_meaning_is_refused(host):
    with pytest.raises(host.mes.errors.InvalidInput, match="needs a meaning"):
        host.mes.security.sign("quinn", "quinn-pw", "  ")


def test_a_signature_inside_a_rolled_back_action_disappears_with_it(host):
    before = host.snapshot()

    def work(tx):
        host.mes.security.sign("quinn", "quinn-pw", "approved", tx=tx)
        raise RuntimeError("the disposition failed")

    with pytest.raises(RuntimeError):
        host.mes.transaction.run(work)
    assert host.snapshot() == before
