-- Id sequences, the hash-chained audit trail, users and roles, station sign-in, e-signatures.
-- Timestamps are UTC text 'YYYY-MM-DDTHH:MM:SS.mmmZ' (sortable; hashed verbatim by mes.audit).

CREATE TABLE id_sequence (
    name TEXT NOT NULL PRIMARY KEY,
    value BIGINT NOT NULL
);
INSERT INTO id_sequence (name, value) VALUES ('esignature', 0);
INSERT INTO id_sequence (name, value) VALUES ('work_instruction', 0);
INSERT INTO id_sequence (name, value) VALUES ('labor_entry', 0);

CREATE TABLE audit_head (
    chain TEXT NOT NULL PRIMARY KEY,
    last_seq BIGINT NOT NULL,
    last_hash TEXT NOT NULL
);
INSERT INTO audit_head (chain, last_seq, last_hash)
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
CREATE INDEX audit_trail_subject ON audit_trail (subject);
CREATE INDEX audit_trail_actor ON audit_trail (actor);

CREATE TABLE mes_user (
    username TEXT NOT NULL PRIMARY KEY,
    full_name TEXT,
    password_hash TEXT NOT NULL,
    active INTEGER NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE user_role (
    username TEXT NOT NULL REFERENCES mes_user (username),
    role TEXT NOT NULL,
    PRIMARY KEY (username, role)
);

CREATE TABLE esignature (
    signature_id BIGINT NOT NULL PRIMARY KEY,
    username TEXT NOT NULL REFERENCES mes_user (username),
    meaning TEXT NOT NULL,
    subject TEXT,
    signed_at TEXT NOT NULL,
    audit_seq BIGINT NOT NULL
);
