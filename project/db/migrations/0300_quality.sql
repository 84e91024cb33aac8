-- Quality at the point of production: inspection plans and their characteristics, stations and
-- gauges with the station's current context, measurements (and refused readings), SPC signals,
-- NCRs and holds. Times are TIMESTAMP (naive UTC) bound from the gateway clock.

CREATE TABLE qc_plans (
    id {{id}},
    item_id TEXT NOT NULL,
    item_revision TEXT NOT NULL,
    op_seq INTEGER NOT NULL,
    description TEXT,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (item_id, item_revision, op_seq)
);

CREATE TABLE qc_characteristics (
    id {{id}},
    plan_id BIGINT NOT NULL REFERENCES qc_plans (id),
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
CREATE INDEX qc_characteristics_gauge ON qc_characteristics (gauge_tag);

CREATE TABLE qc_stations (
    station_id TEXT NOT NULL PRIMARY KEY,
    tag_folder TEXT NOT NULL,
    item_id TEXT,
    item_revision TEXT,
    wo_id TEXT,
    op_seq INTEGER,
    lot TEXT,
    serial TEXT,
    operator TEXT,
    context_at TIMESTAMP
);

CREATE TABLE qc_gauges (
    gauge_tag TEXT NOT NULL PRIMARY KEY,
    station_id TEXT NOT NULL REFERENCES qc_stations (station_id),
    units TEXT NOT NULL,
    range_min DOUBLE PRECISION,
    range_max DOUBLE PRECISION
);

CREATE TABLE qc_measurements (
    id {{id}},
    char_id BIGINT NOT NULL REFERENCES qc_characteristics (id),
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
    measured_at TIMESTAMP NOT NULL
);
CREATE INDEX qc_measurements_wo ON qc_measurements (wo_id, op_seq, char_id);
CREATE INDEX qc_measurements_char ON qc_measurements (char_id, id);

CREATE TABLE qc_refused_readings (
    id {{id}},
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
    received_at TIMESTAMP NOT NULL
);

CREATE TABLE qc_ncrs (
    id {{id}},
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
    opened_at TIMESTAMP NOT NULL,
    disposition TEXT,
    disposition_note TEXT,
    signature_id BIGINT,
    dispositioned_by TEXT,
    dispositioned_at TIMESTAMP
);
CREATE INDEX qc_ncrs_wo ON qc_ncrs (wo_id, status);

CREATE TABLE qc_holds (
    id {{id}},
    subject_kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    wo_id TEXT NOT NULL,
    op_seq INTEGER,
    station_id TEXT,
    ncr_id BIGINT REFERENCES qc_ncrs (id),
    reason TEXT NOT NULL,
    status TEXT NOT NULL,
    placed_by TEXT NOT NULL,
    placed_at TIMESTAMP NOT NULL,
    released_by TEXT,
    released_at TIMESTAMP,
    release_signature_id BIGINT
);
CREATE INDEX qc_holds_subject ON qc_holds (subject_kind, subject, status);
CREATE INDEX qc_holds_wo ON qc_holds (wo_id, status);

CREATE TABLE qc_spc_signals (
    id {{id}},
    char_id BIGINT NOT NULL REFERENCES qc_characteristics (id),
    measurement_id BIGINT NOT NULL REFERENCES qc_measurements (id),
    rule TEXT NOT NULL,
    first_measurement_id BIGINT NOT NULL,
    hold_id BIGINT REFERENCES qc_holds (id),
    raised_at TIMESTAMP NOT NULL
);
CREATE INDEX qc_spc_signals_char ON qc_spc_signals (char_id, id);
