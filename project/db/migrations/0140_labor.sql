-- Labor: direct (on a work-order operation) and indirect time per operator, crews.

CREATE TABLE indirect_codes (
    code TEXT NOT NULL PRIMARY KEY,
    description TEXT NOT NULL
);

CREATE TABLE crews (
    crew_id TEXT NOT NULL PRIMARY KEY,
    description TEXT
);

CREATE TABLE crew_members (
    crew_id TEXT NOT NULL REFERENCES crews (crew_id),
    username TEXT NOT NULL REFERENCES users (username),
    PRIMARY KEY (crew_id, username)
);

CREATE TABLE labor_entries (
    id {{id}},
    username TEXT NOT NULL REFERENCES users (username),
    station_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('direct', 'indirect')),
    wo_id TEXT,
    op_seq INTEGER,
    indirect_code TEXT,
    crew_id TEXT,
    clock_on TIMESTAMP NOT NULL,
    clock_off TIMESTAMP,
    duration_ms BIGINT
);
CREATE INDEX ix_labor_entries_user ON labor_entries (username, clock_off);
CREATE INDEX ix_labor_entries_wo ON labor_entries (wo_id, op_seq);
