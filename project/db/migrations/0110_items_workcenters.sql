-- Item master, work centers and their stations, who is signed in where.

CREATE TABLE item (
    item_id TEXT NOT NULL,
    revision TEXT NOT NULL,
    description TEXT,
    uom TEXT NOT NULL,
    tracking TEXT NOT NULL,
    PRIMARY KEY (item_id, revision)
);

CREATE TABLE work_center (
    work_center_id TEXT NOT NULL PRIMARY KEY,
    description TEXT
);

CREATE TABLE station (
    station_id TEXT NOT NULL PRIMARY KEY,
    work_center_id TEXT NOT NULL REFERENCES work_center (work_center_id),
    description TEXT,
    machine_path TEXT
);

CREATE TABLE station_session (
    username TEXT NOT NULL PRIMARY KEY REFERENCES mes_user (username),
    station_id TEXT NOT NULL REFERENCES station (station_id),
    signed_in_at TEXT NOT NULL
);
CREATE INDEX station_session_station ON station_session (station_id);
