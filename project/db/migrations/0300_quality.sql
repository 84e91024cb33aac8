-- Quality at the point of production: inspection plans and their characteristics, station
-- quality tags and context, measurements (and refused readings), SPC signals, holds and NCRs.
-- Ids come from id_sequence (mes.transaction.next_id); timestamps are UTC text
-- 'YYYY-MM-DDTHH:MM:SS.mmmZ' like the audit trail.

INSERT INTO id_sequence (name, value) VALUES ('qc_plan', 0);
INSERT INTO id_sequence (name, value) VALUES ('qc_characteristic', 0);
INSERT INTO id_sequence (name, value) VALUES ('qc_measurement', 0);
INSERT INTO id_sequence (name, value) VALUES ('qc_refused_reading', 0);
INSERT INTO id_sequence (name, value) VALUES ('qc_spc_signal', 0);
INSERT INTO id_sequence (name, value) VALUES ('qc_hold', 0);
INSERT INTO id_sequence (name, value) VALUES ('qc_ncr', 0);

CREATE TABLE qc_plan (
    plan_id BIGINT NOT NULL PRIMARY KEY,
    item_id TEXT NOT NULL,
    item_revision TEXT NOT NULL,
    op_seq INTEGER NOT NULL,
    description TEXT,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (item_id, item_revision, op_seq)
);

CREATE TABLE qc_characteristic (
    char_id BIGINT NOT NULL PRIMARY KEY,
    plan_id BIGINT NOT NULL REFERENCES qc_plan (plan_id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    nominal DOUBLE PRECISION,
    lsl DOUBLE PRECISION,
    usl DOUBLE PRECISION,
    units TEXT,
    gauge_tag TEXT,
    sample_size INTEGER NOT NULL,
    frequency TEXT NOT NULL,
    frequency_value INTEGER,
    required BOOLEAN NOT NULL,
    spc_rules TEXT,
    spc_center DOUBLE PRECISION,
    spc_sigma DOUBLE PRECISION,
    spc_hold BOOLEAN NOT NULL,
    UNIQUE (plan_id, name)
);
CREATE INDEX qc_characteristic_gauge ON qc_characteristic (gauge_tag);

CREATE TABLE qc_station (
    station_id TEXT NOT NULL PRIMARY KEY,
    tag_folder TEXT NOT NULL,
    item_id TEXT,
    item_revision TEXT,
    wo_id TEXT,
    op_seq INTEGER,
    lot TEXT,
    serial TEXT,
    operator TEXT,
    context_at TEXT
);

CREATE TABLE qc_gauge (
    gauge_tag TEXT NOT NULL PRIMARY KEY,
    station_id TEXT NOT NULL REFERENCES qc_station (station_id),
    units TEXT NOT NULL,
    range_min DOUBLE PRECISION,
    range_max DOUBLE PRECISION
);

CREATE TABLE qc_measurement (
    measurement_id BIGINT NOT NULL PRIMARY KEY,
    char_id BIGINT NOT NULL REFERENCES qc_characteristic (char_id),
    wo_id TEXT NOT NULL,
    op_seq INTEGER NOT NULL,
    station_id TEXT,
    lot TEXT,
    serial TEXT,
    operator TEXT,
    source TEXT NOT NULL,
    value DOUBLE PRECISION NOT NULL,
    units TEXT,
    passed BOOLEAN NOT NULL,
    measured_at TEXT NOT NULL
);
CREATE INDEX qc_measurement_wo ON qc_measurement (wo_id, op_seq, char_id);
CREATE INDEX qc_measurement_char ON qc_measurement (char_id, measurement_id);

CREATE TABLE qc_refused_reading (
    reading_id BIGINT NOT NULL PRIMARY KEY,
    char_id BIGINT,
    station_id TEXT,
    wo_id TEXT,
    op_seq INTEGER,
    source TEXT NOT NULL,
    raw_value TEXT,
    units TEXT,
    reason_code TEXT NOT NULL,
    reason TEXT NOT NULL,
    operator TEXT,
    received_at TEXT NOT NULL
);

CREATE TABLE qc_spc_signal (
    signal_id BIGINT NOT NULL PRIMARY KEY,
    char_id BIGINT NOT NULL REFERENCES qc_characteristic (char_id),
    measurement_id BIGINT NOT NULL REFERENCES qc_measurement (measurement_id),
    rule TEXT NOT NULL,
    first_measurement_id BIGINT NOT NULL,
    hold_id BIGINT,
    raised_at TEXT NOT NULL
);
CREATE INDEX qc_spc_signal_char ON qc_spc_signal (char_id, signal_id);

CREATE TABLE qc_ncr (
    ncr_id BIGINT NOT NULL PRIMARY KEY,
    wo_id TEXT NOT NULL,
    op_seq INTEGER NOT NULL,
    station_id TEXT,
    char_id BIGINT,
    measurement_id BIGINT,
    subject_kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    description TEXT NOT NULL,
    status TEXT NOT NULL,
    opened_by TEXT NOT NULL,
    opened_at TEXT NOT NULL,
    disposition TEXT,
    disposition_note TEXT,
    signature_id BIGINT,
    dispositioned_by TEXT,
    dispositioned_at TEXT
);
CREATE INDEX qc_ncr_wo ON qc_ncr (wo_id, status);

CREATE TABLE qc_hold (
    hold_id BIGINT NOT NULL PRIMARY KEY,
    subject_kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    wo_id TEXT NOT NULL,
    op_seq INTEGER,
    station_id TEXT,
    ncr_id BIGINT REFERENCES qc_ncr (ncr_id),
    reason TEXT NOT NULL,
    status TEXT NOT NULL,
    placed_by TEXT NOT NULL,
    placed_at TEXT NOT NULL,
    released_by TEXT,
    released_at TEXT,
    release_signature_id BIGINT
);
CREATE INDEX qc_hold_subject ON qc_hold (subject_kind, subject, status);
CREATE INDEX qc_hold_wo ON qc_hold (wo_id, status);
