"""Users, roles, station sign-in and electronic signatures (re-authentication plus a meaning).

Roles are operator, lead, quality, engineer and admin. A grant is explicit, with two implications:
admin also acts as engineer, lead and operator, and lead also acts as operator. Quality is never
implied: a quality decision always needs someone who holds the quality role (segregation of duties).

Passwords are never stored: each user row keeps `pbkdf2_sha256$<iterations>$<salt hex>$<hash hex>`
(PBKDF2-HMAC-SHA256, 16-byte random salt). `hashlib.pbkdf2_hmac` is missing on Jython 2.7.3, so the
derivation is written over `hmac`/`hashlib` here and is checked against the RFC 7914 test vector.
An electronic signature (`sign`) re-authenticates the user, checks the role when one is asked for,
stores the meaning ("approved", "reviewed", "dispositioned as scrap", ...) and records the signing
in the audit trail, all in the caller's transaction (21 CFR 11 in spirit).
"""
from __future__ import absolute_import, division, print_function

import binascii
import hashlib
import hmac
import os

__all__ = ["AuthenticationFailed", "DEFAULT_ITERATIONS", "IMPLIED_ROLES", "MissingRole",
           "NotSignedIn", "ROLES", "UnknownUser", "authenticate", "bootstrap_admin",
           "check_password", "create_user", "grant_role", "has_role", "hash_password",
           "operators_at", "pbkdf2_sha256", "require_role", "require_signed_in", "revoke_role",
           "roles_of", "sign", "sign_in", "sign_out", "signature", "signed_in_station"]

ROLES = ("operator", "lead", "quality", "engineer", "admin")
IMPLIED_ROLES = {"admin": ("engineer", "lead", "operator"), "lead": ("operator",)}
#: PBKDF2 iterations for new password hashes (each hash stores its own count).
DEFAULT_ITERATIONS = 60000


class UnknownUser(mes.errors.PermissionDenied):  # noqa: F821
    """The username does not exist or is deactivated."""
    code = "unknown_user"


class MissingRole(mes.errors.PermissionDenied):  # noqa: F821
    """The user does not hold the role the action needs."""
    code = "missing_role"


class AuthenticationFailed(mes.errors.PermissionDenied):  # noqa: F821
    """The password did not match (sign-in or electronic signature)."""
    code = "authentication_failed"


class NotSignedIn(mes.errors.PermissionDenied):  # noqa: F821
    """The user is not signed in at the station the action happens at."""
    code = "not_signed_in"


def _tm():
    return mes.transaction  # noqa: F821


def _bytes(value):
    if isinstance(value, bytes):
        return value
    return mes.compat.text(value).encode("utf-8")  # noqa: F821


def pbkdf2_sha256(password, salt, iterations, length=32):
    """PBKDF2-HMAC-SHA256 (RFC 8018) of `password` and `salt` (bytes or text) as bytes."""
    password, salt = _bytes(password), _bytes(salt)
    if len(password) > 64:
        password = hashlib.sha256(password).digest()
    key = password + b"\x00" * (64 - len(password))
    inner, outer = hashlib.sha256(), hashlib.sha256()
    inner.update(bytes(bytearray(b ^ 0x36 for b in bytearray(key))))
    outer.update(bytes(bytearray(b ^ 0x5C for b in bytearray(key))))

    def prf(message):
        i = inner.copy()
        i.update(message)
        o = outer.copy()
        o.update(i.digest())
        return o.digest()

    blocks, out = (length + 31) // 32, b""
    for number in range(1, blocks + 1):
        u = prf(salt + bytes(bytearray([(number >> 24) & 255, (number >> 16) & 255,
                                        (number >> 8) & 255, number & 255])))
        acc = int(binascii.hexlify(u), 16)
        for _ in range(int(iterations) - 1):
            u = prf(u)
            acc ^= int(binascii.hexlify(u), 16)
        out += binascii.unhexlify(("%064x" % acc).encode("ascii"))
    return out[:length]


def hash_password(password, iterations=None, salt=None):
    """A storable hash `pbkdf2_sha256$<iterations>$<salt hex>$<hash hex>` of `password`."""
    if not isinstance(password, mes.compat.string_types) or len(password) < 4:  # noqa: F821
        raise mes.errors.InvalidInput("A password must be text of at least 4 characters.")  # noqa: F821
    iterations = int(iterations or DEFAULT_ITERATIONS)
    salt = salt if salt is not None else os.urandom(16)
    digest = pbkdf2_sha256(password, salt, iterations)
    return "pbkdf2_sha256$%d$%s$%s" % (iterations, binascii.hexlify(salt).decode("ascii"),
                                       binascii.hexlify(digest).decode("ascii"))


def check_password(password, stored):
    """True when `password` matches the stored hash (compared in constant time)."""
    try:
        scheme, iterations, salt_hex, hash_hex = mes.compat.text(stored).split("$")  # noqa: F821
    except (ValueError, AttributeError):
        return False
    if scheme != "pbkdf2_sha256" or password is None:
        return False
    candidate = binascii.hexlify(pbkdf2_sha256(password, binascii.unhexlify(salt_hex),
                                               int(iterations))).decode("ascii")
    difference = len(candidate) ^ len(hash_hex)
    for a, b in zip(candidate, hash_hex):
        difference |= ord(a) ^ ord(b)
    return difference == 0


# -- users and roles ---------------------------------------------------------------------------

def _user(username, tx):
    user = _tm().one("SELECT username, full_name, password_hash, active FROM users "
                     "WHERE username = ?", [username], tx)
    if user is None or not user["active"]:
        raise UnknownUser("Unknown or inactive user %r." % (username,))
    return user


def roles_of(username, tx=None):
    """The roles `username` acts in (grants plus implied roles), sorted."""
    def work(tx):
        granted = [mes.compat.text(r["role"]) for r in _tm().rows(  # noqa: F821
            "SELECT role FROM user_roles WHERE username = ?", [username], tx)]
        acting = set(granted)
        for role in granted:
            acting.update(IMPLIED_ROLES.get(role, ()))
        return sorted(acting)
    return _tm().run(work, tx)


def has_role(username, role, tx=None):
    """True when `username` is an active user acting in `role`."""
    def work(tx):
        try:
            _user(username, tx)
        except UnknownUser:
            return False
        return role in roles_of(username, tx)
    return _tm().run(work, tx)


def require_role(username, role, tx=None):
    """Raise PermissionDenied (UnknownUser or MissingRole) unless `username` acts in `role`.

    `role` may be a tuple: any one of them is enough.
    """
    wanted = tuple(role) if isinstance(role, (list, tuple)) else (role,)

    def work(tx):
        _user(username, tx)
        acting = roles_of(username, tx)
        if not [r for r in wanted if r in acting]:
            raise MissingRole("User %r lacks the role %r." % (username, "/".join(wanted)),
                              username=username, role="/".join(wanted))
        return True
    return _tm().run(work, tx)


def _check_roles(roles):
    for role in roles:
        if role not in ROLES:
            raise mes.errors.InvalidInput("Unknown role %r; roles are %s." % (  # noqa: F821
                role, ", ".join(ROLES)))


def _insert_user(username, password, roles, full_name, iterations, tx):
    if not isinstance(username, mes.compat.string_types) or not username.strip():  # noqa: F821
        raise mes.errors.InvalidInput("A username must be non-blank text, got %r." % (username,))  # noqa: F821
    _check_roles(roles)
    if _tm().one("SELECT username FROM users WHERE username = ?", [username], tx):
        raise mes.errors.StateConflict("User %r already exists." % (username,))  # noqa: F821
    _tm().update("INSERT INTO users (username, full_name, password_hash, active, created_at) "
                 "VALUES (?, ?, ?, ?, ?)", [username, full_name,
                                            hash_password(password, iterations), True,
                                            _tm().now()], tx)
    for role in sorted(set(roles)):
        _tm().update("INSERT INTO user_roles (username, role) VALUES (?, ?)", [username, role], tx)


def bootstrap_admin(username, password, iterations=None, tx=None):
    """Create the first admin; refused once any user exists."""
    def work(tx):
        if int(_tm().scalar("SELECT COUNT(*) AS n FROM users", [], tx)):
            raise mes.errors.StateConflict("Users exist already; an admin must create %r." % (  # noqa: F821
                username,))
        _insert_user(username, password, ["admin"], None, iterations, tx)
        mes.audit.record(username, "security.bootstrap_admin", "user/" + username, {}, None, tx)  # noqa: F821
        return username
    return _tm().run(work, tx)


def create_user(actor, username, password, roles, full_name=None, iterations=None, tx=None):
    """An admin creates a user with `roles` (a list of ROLES)."""
    def work(tx):
        require_role(actor, "admin", tx)
        _insert_user(username, password, list(roles), full_name, iterations, tx)
        mes.audit.record(actor, "security.create_user", "user/" + username,  # noqa: F821
                         {"roles": sorted(set(roles)), "full_name": full_name}, None, tx)
        return username
    return _tm().run(work, tx)


def grant_role(actor, username, role, reason=None, tx=None):
    """An admin grants `role` to `username`."""
    def work(tx):
        require_role(actor, "admin", tx)
        _check_roles([role])
        _user(username, tx)
        if _tm().one("SELECT role FROM user_roles WHERE username = ? AND role = ?",
                     [username, role], tx) is None:
            _tm().update("INSERT INTO user_roles (username, role) VALUES (?, ?)",
                         [username, role], tx)
        mes.audit.record(actor, "security.grant_role", "user/" + username, {"role": role},  # noqa: F821
                         reason, tx)
    return _tm().run(work, tx)


def revoke_role(actor, username, role, reason=None, tx=None):
    """An admin takes `role` away from `username`."""
    def work(tx):
        require_role(actor, "admin", tx)
        _check_roles([role])
        _tm().update("DELETE FROM user_roles WHERE username = ? AND role = ?", [username, role], tx)
        mes.audit.record(actor, "security.revoke_role", "user/" + username, {"role": role},  # noqa: F821
                         reason, tx)
    return _tm().run(work, tx)


def authenticate(username, password, tx=None):
    """Raise UnknownUser or AuthenticationFailed unless the password matches."""
    def work(tx):
        user = _user(username, tx)
        if not check_password(password, user["password_hash"]):
            raise AuthenticationFailed("The password for user %r is wrong." % (username,))
        return True
    return _tm().run(work, tx)


# -- station sign-in -----------------------------------------------------------------------------

def signed_in_station(username, tx=None):
    """The station `username` is signed in at, or None."""
    return _tm().run(lambda tx: _tm().scalar(
        "SELECT station_id FROM station_sessions WHERE username = ?", [username], tx), tx)


def operators_at(station_id, tx=None):
    """The usernames signed in at `station_id`, sorted."""
    return _tm().run(lambda tx: sorted(mes.compat.text(r["username"]) for r in _tm().rows(  # noqa: F821
        "SELECT username FROM station_sessions WHERE station_id = ?", [station_id], tx)), tx)


def require_signed_in(username, station_id, tx=None):
    """Raise NotSignedIn unless `username` is signed in at `station_id`."""
    def work(tx):
        at = signed_in_station(username, tx)
        if at is None:
            raise NotSignedIn("User %r is not signed in at any station; sign in at %r first."
                              % (username, station_id), username=username, station=station_id)
        if mes.compat.text(at) != mes.compat.text(station_id):  # noqa: F821
            raise NotSignedIn("User %r is signed in at station %r, not at %r."
                              % (username, at, station_id), username=username, station=station_id)
        return True
    return _tm().run(work, tx)


def sign_in(username, password, station_id, tx=None):
    """Sign `username` in at `station_id` after checking the password (one station per user)."""
    def work(tx):
        authenticate(username, password, tx)
        mes.workcenter.station(station_id, tx)  # noqa: F821 - raises UnknownStation
        at = signed_in_station(username, tx)
        if at is not None:
            raise mes.errors.StateConflict("User %r is already signed in at station %r; sign out "  # noqa: F821
                                           "there first." % (username, at))
        _tm().update("INSERT INTO station_sessions (station_id, username, signed_in_at) "
                     "VALUES (?, ?, ?)", [station_id, username, _tm().now()], tx)
        mes.audit.record(username, "security.sign_in", "station/" + station_id, {}, None, tx)  # noqa: F821
        return station_id
    return _tm().run(work, tx)


def sign_out(username, actor=None, reason=None, tx=None):
    """Sign `username` out (by themself, or by a lead as `actor`), clocking off open labor."""
    actor = actor or username

    def work(tx):
        if actor != username:
            require_role(actor, "lead", tx)
        at = signed_in_station(username, tx)
        if at is None:
            raise NotSignedIn("User %r is not signed in at any station." % (username,),
                              username=username)
        closed = mes.labor.close_open(username, actor, tx)  # noqa: F821
        _tm().update("DELETE FROM station_sessions WHERE username = ?", [username], tx)
        mes.audit.record(actor, "security.sign_out", "station/" + mes.compat.text(at),  # noqa: F821
                         {"username": username, "labor_entries_closed": closed}, reason, tx)
        return at
    return _tm().run(work, tx)


# -- electronic signatures -----------------------------------------------------------------------

def sign(username, password, meaning, tx=None, subject=None, role=None):
    """Electronic signature: re-authenticate `username` and record what the signature means.

    Args:
        meaning: what the signer attests, e.g. "approved", stored verbatim.
        subject: what is signed (e.g. "instruction/7"); recorded with the signature.
        role: when given (a role or tuple of roles) the signer must act in it.
    Returns the signature id; raises PermissionDenied (AuthenticationFailed, MissingRole, ...).
    """
    if not isinstance(meaning, mes.compat.string_types) or not meaning.strip():  # noqa: F821
        raise mes.errors.InvalidInput("A signature needs a meaning, got %r." % (meaning,))  # noqa: F821

    def work(tx):
        authenticate(username, password, tx)
        if role is not None:
            require_role(username, role, tx)
        signature_id = _tm().insert(
            "INSERT INTO esignatures (username, meaning, subject, signed_at, audit_seq) "
            "VALUES (?, ?, ?, ?, ?)", [username, meaning, subject, _tm().now(), 0], tx)
        audit_seq = mes.audit.record(username, "security.sign", subject or "signature",  # noqa: F821
                                     {"signature_id": signature_id, "meaning": meaning}, None, tx)
        _tm().update("UPDATE esignatures SET audit_seq = ? WHERE id = ?",
                     [audit_seq, signature_id], tx)
        return signature_id
    return _tm().run(work, tx)


def signature(signature_id, tx=None):
    """A stored signature as a dict (signature_id, username, meaning, subject, signed_at)."""
    def work(tx):
        found = _tm().one("SELECT id, username, meaning, subject, signed_at, audit_seq "
                          "FROM esignatures WHERE id = ?", [signature_id], tx)
        if found is None:
            raise mes.errors.NotFound("Unknown signature id %r." % (signature_id,))  # noqa: F821
        found["signature_id"] = int(found.pop("id"))
        found["audit_seq"] = int(found["audit_seq"])
        found["signed_at"] = _tm().iso(found["signed_at"])
        return found
    return _tm().run(work, tx)
