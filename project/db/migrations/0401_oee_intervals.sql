-- OEE runtime data: state intervals, count intervals, counter readings, machine context,
-- downtime reason pieces and the history of operator reason changes.
CREATE TABLE oee_state_intervals (
    id {{id}},
    machine_id TEXT NOT NULL REFERENCES oee_machines (machine_id),
    start_ms BIGINT NOT NULL,
    end_ms BIGINT,
    closed_by TEXT,
    state_code INTEGER,
    category TEXT NOT NULL,
    good_quality BOOLEAN NOT NULL,
    fault_code INTEGER,
    work_order TEXT,
    product TEXT,
    operation TEXT
);
CREATE INDEX oee_state_intervals_machine_start ON oee_state_intervals (machine_id, start_ms);
CREATE INDEX oee_state_intervals_machine_end ON oee_state_intervals (machine_id, end_ms);
CREATE TABLE oee_count_intervals (
    id {{id}},
    machine_id TEXT NOT NULL REFERENCES oee_machines (machine_id),
    start_ms BIGINT NOT NULL,
    end_ms BIGINT,
    shift_day TEXT,
    shift_name TEXT,
    work_order TEXT,
    product TEXT,
    operation TEXT,
    pq BIGINT NOT NULL DEFAULT 0,
    sq BIGINT NOT NULL DEFAULT 0,
    rq BIGINT NOT NULL DEFAULT 0,
    infeed BIGINT NOT NULL DEFAULT 0,
    last_count_ms BIGINT
);
CREATE INDEX oee_count_intervals_machine_start ON oee_count_intervals (machine_id, start_ms);
CREATE TABLE oee_counter_readings (
    machine_id TEXT NOT NULL REFERENCES oee_machines (machine_id),
    counter_name TEXT NOT NULL,
    raw BIGINT NOT NULL,
    read_ms BIGINT NOT NULL,
    PRIMARY KEY (machine_id, counter_name)
);
CREATE TABLE oee_machine_context (
    machine_id TEXT PRIMARY KEY REFERENCES oee_machines (machine_id),
    work_order TEXT,
    product TEXT,
    operation TEXT,
    changed_ms BIGINT NOT NULL
);
CREATE TABLE oee_downtime_reasons (
    id {{id}},
    interval_id BIGINT NOT NULL REFERENCES oee_state_intervals (id),
    machine_id TEXT NOT NULL,
    start_ms BIGINT NOT NULL,
    end_ms BIGINT,
    reason_code TEXT NOT NULL,
    source TEXT NOT NULL,
    assigned_by TEXT,
    assigned_ms BIGINT NOT NULL,
    active BOOLEAN NOT NULL
);
CREATE INDEX oee_downtime_reasons_interval ON oee_downtime_reasons (interval_id);
CREATE INDEX oee_downtime_reasons_machine_start ON oee_downtime_reasons (machine_id, start_ms);
CREATE TABLE oee_reason_changes (
    id {{id}},
    interval_id BIGINT NOT NULL REFERENCES oee_state_intervals (id),
    changed_by TEXT NOT NULL,
    changed_ms BIGINT NOT NULL,
    old_pieces TEXT NOT NULL,
    new_pieces TEXT NOT NULL,
    comment TEXT
);
