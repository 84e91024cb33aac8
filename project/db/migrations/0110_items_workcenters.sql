-- Item master, work centers and their stations, who is signed in where.

CREATE TABLE items (
    item_id TEXT NOT NULL,
    revision TEXT NOT NULL,
    description TEXT,
    uom TEXT NOT NULL,
    tracking TEXT NOT NULL CHECK (tracking IN ('lot', 'serial', 'bulk')),
    PRIMARY KEY (item_id, revision)
);

CREATE TABLE work_centers (
    work_center_id TEXT NOT NULL PRIMARY KEY,
    description TEXT
);

CREATE TABLE stations (
    station_id TEXT NOT NULL PRIMARY KEY,
    work_center_id TEXT NOT NULL REFERENCES work_centers (work_center_id),
    description TEXT,
    machine_path TEXT
);

CREATE TABLE station_sessions (
    username TEXT NOT NULL PRIMARY KEY REFERENCES users (username),
    station_id TEXT NOT NULL REFERENCES stations (station_id),
    signed_in_at TIMESTAMP NOT NULL
);
CREATE INDEX ix_station_sessions_station ON station_sessions (station_id);
