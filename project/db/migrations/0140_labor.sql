-- Labor: direct (on a work-order operation) and indirect time per operator, crews.

CREATE TABLE indirect_code (
    code TEXT NOT NULL PRIMARY KEY,
    description TEXT NOT NULL
);

CREATE TABLE crew (
    crew_id TEXT NOT NULL PRIMARY KEY,
    description TEXT
);

CREATE TABLE crew_member (
    crew_id TEXT NOT NULL REFERENCES crew (crew_id),
    username TEXT NOT NULL REFERENCES mes_user (username),
    PRIMARY KEY (crew_id, username)
);

CREATE TABLE labor_entry (
    entry_id BIGINT NOT NULL PRIMARY KEY,
    username TEXT NOT NULL,
    station_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    wo_id TEXT,
    op_seq INTEGER,
    indirect_code TEXT,
    crew_id TEXT,
    clock_on TEXT NOT NULL,
    clock_off TEXT,
    duration_ms BIGINT
);
CREATE INDEX labor_entry_user ON labor_entry (username, clock_off);
CREATE INDEX labor_entry_wo ON labor_entry (wo_id, op_seq);
