-- The hash-chained audit trail, users and roles, electronic signatures.
-- audit_trail.recorded_at is UTC text 'YYYY-MM-DDTHH:MM:SS.mmmZ' on purpose: mes.audit hashes the
-- stored text, so the hash never depends on a driver's timestamp conversion.

CREATE TABLE audit_chains (
    chain TEXT NOT NULL PRIMARY KEY,
    last_seq BIGINT NOT NULL,
    last_hash TEXT NOT NULL
);
INSERT INTO audit_chains (chain, last_seq, last_hash)
    VALUES ('main', 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE audit_trail (
    seq BIGINT NOT NULL PRIMARY KEY,
    recorded_at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    details TEXT NOT NULL,
    reason TEXT,
    prev_hash TEXT NOT NULL,
    row_hash TEXT NOT NULL
);
CREATE INDEX ix_audit_trail_subject ON audit_trail (subject);
CREATE INDEX ix_audit_trail_actor ON audit_trail (actor);

CREATE TABLE users (
    username TEXT NOT NULL PRIMARY KEY,
    full_name TEXT,
    password_hash TEXT NOT NULL,
    active BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE user_roles (
    username TEXT NOT NULL REFERENCES users (username),
    role TEXT NOT NULL,
    PRIMARY KEY (username, role)
);

CREATE TABLE esignatures (
    id {{id}},
    username TEXT NOT NULL REFERENCES users (username),
    meaning TEXT NOT NULL,
    subject TEXT,
    signed_at TIMESTAMP NOT NULL,
    audit_seq BIGINT NOT NULL
);
