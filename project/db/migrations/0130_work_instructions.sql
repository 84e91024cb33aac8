-- Versioned work instructions (ordered steps with required inputs) and what operators entered.

CREATE TABLE work_instructions (
    id {{id}},
    item_id TEXT NOT NULL,
    item_revision TEXT NOT NULL,
    op_seq INTEGER NOT NULL,
    version INTEGER NOT NULL,
    title TEXT,
    status TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    approval_signature BIGINT,
    UNIQUE (item_id, item_revision, op_seq, version)
);

CREATE TABLE instruction_steps (
    instruction_id BIGINT NOT NULL REFERENCES work_instructions (id),
    step_no INTEGER NOT NULL,
    kind TEXT NOT NULL,
    prompt TEXT NOT NULL,
    required BOOLEAN NOT NULL,
    spec TEXT NOT NULL,
    PRIMARY KEY (instruction_id, step_no)
);

CREATE TABLE step_records (
    wo_id TEXT NOT NULL,
    op_seq INTEGER NOT NULL,
    step_no INTEGER NOT NULL,
    instruction_id BIGINT NOT NULL,
    entered_value TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    station_id TEXT NOT NULL,
    recorded_at TIMESTAMP NOT NULL,
    PRIMARY KEY (wo_id, op_seq, step_no)
);
