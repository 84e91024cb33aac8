-- Routings (ordered operations per item revision) and work orders with their operations.

CREATE TABLE routing_operation (
    item_id TEXT NOT NULL,
    item_revision TEXT NOT NULL,
    op_seq INTEGER NOT NULL,
    work_center_id TEXT NOT NULL REFERENCES work_center (work_center_id),
    description TEXT,
    setup_minutes DOUBLE PRECISION NOT NULL,
    run_minutes_per_unit DOUBLE PRECISION NOT NULL,
    parallel_group TEXT,
    optional INTEGER NOT NULL,
    PRIMARY KEY (item_id, item_revision, op_seq)
);

CREATE TABLE work_order (
    wo_id TEXT NOT NULL PRIMARY KEY,
    item_id TEXT NOT NULL,
    item_revision TEXT NOT NULL,
    qty_released DOUBLE PRECISION NOT NULL,
    due_date TEXT NOT NULL,
    priority INTEGER NOT NULL,
    status TEXT NOT NULL,
    status_before_hold TEXT,
    released_at TEXT NOT NULL,
    completed_at TEXT,
    closed_at TEXT
);
CREATE INDEX work_order_status ON work_order (status);

CREATE TABLE wo_operation (
    wo_id TEXT NOT NULL REFERENCES work_order (wo_id),
    op_seq INTEGER NOT NULL,
    work_center_id TEXT NOT NULL REFERENCES work_center (work_center_id),
    description TEXT,
    setup_minutes DOUBLE PRECISION NOT NULL,
    run_minutes_per_unit DOUBLE PRECISION NOT NULL,
    parallel_group TEXT,
    optional INTEGER NOT NULL,
    status TEXT NOT NULL,
    status_before_hold TEXT,
    station_id TEXT,
    started_by TEXT,
    started_at TEXT,
    completed_at TEXT,
    qty_good DOUBLE PRECISION NOT NULL,
    qty_scrap DOUBLE PRECISION NOT NULL,
    qty_rework DOUBLE PRECISION NOT NULL,
    instruction_id BIGINT,
    queue_position INTEGER,
    PRIMARY KEY (wo_id, op_seq)
);
CREATE INDEX wo_operation_center ON wo_operation (work_center_id, status);
