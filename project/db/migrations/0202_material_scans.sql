-- Every scan a station scanner delivered, with its outcome: what the operator screen shows and
-- what an investigation reads back. A rejected scan writes only this row; the material tables
-- stay untouched.

CREATE TABLE material_scans (
    id {{id}},
    tag_path TEXT NOT NULL,
    station_id TEXT,
    wo_id TEXT,
    op_seq INTEGER,
    operator TEXT,
    barcode TEXT,
    outcome TEXT NOT NULL CHECK (outcome IN ('consumed', 'rejected', 'ignored')),
    error_code TEXT,
    message TEXT,
    at TIMESTAMP NOT NULL
);

CREATE INDEX material_scans_station ON material_scans (station_id, id);
