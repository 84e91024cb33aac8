-- OEE configuration: calendars, lines, machines, state tables, reason tree, fault map, ideal rates.
CREATE TABLE oee_calendars (
    calendar_id TEXT PRIMARY KEY,
    definition TEXT NOT NULL
);
CREATE TABLE oee_lines (
    line_id TEXT PRIMARY KEY,
    calendar_id TEXT NOT NULL REFERENCES oee_calendars (calendar_id),
    oee_path TEXT NOT NULL,
    constraint_machine TEXT,
    output_machine TEXT,
    rework_is_good BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE TABLE oee_machines (
    machine_id TEXT PRIMARY KEY,
    line_id TEXT NOT NULL REFERENCES oee_lines (line_id),
    source_path TEXT NOT NULL UNIQUE,
    oee_path TEXT NOT NULL,
    state_table_id TEXT NOT NULL,
    short_stop_ms BIGINT NOT NULL,
    frozen_after_ms BIGINT,
    counter_bits INTEGER NOT NULL DEFAULT 32,
    sequence_no INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE oee_state_codes (
    state_table_id TEXT NOT NULL,
    code INTEGER NOT NULL,
    category TEXT NOT NULL,
    name TEXT,
    PRIMARY KEY (state_table_id, code)
);
CREATE TABLE oee_reasons (
    reason_code TEXT PRIMARY KEY,
    parent_code TEXT,
    name TEXT NOT NULL
);
CREATE TABLE oee_fault_reasons (
    machine_id TEXT NOT NULL,
    fault_code INTEGER NOT NULL,
    reason_code TEXT NOT NULL REFERENCES oee_reasons (reason_code),
    PRIMARY KEY (machine_id, fault_code)
);
CREATE TABLE oee_ideal_rates (
    machine_id TEXT NOT NULL,
    product TEXT NOT NULL,
    operation TEXT NOT NULL,
    rate_per_min DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (machine_id, product, operation)
);
