-- Routings (ordered operations per item revision) and work orders with their operations.

CREATE TABLE routing_operations (
    item_id TEXT NOT NULL,
    item_revision TEXT NOT NULL,
    op_seq INTEGER NOT NULL,
    work_center_id TEXT NOT NULL REFERENCES work_centers (work_center_id),
    description TEXT,
    setup_minutes DOUBLE PRECISION NOT NULL,
    run_minutes_per_unit DOUBLE PRECISION NOT NULL,
    parallel_group TEXT,
    optional BOOLEAN NOT NULL,
    PRIMARY KEY (item_id, item_revision, op_seq)
);

CREATE TABLE work_orders (
    wo_id TEXT NOT NULL PRIMARY KEY,
    item_id TEXT NOT NULL,
    item_revision TEXT NOT NULL,
    qty_released DOUBLE PRECISION NOT NULL,
    due_date TIMESTAMP NOT NULL,
    priority INTEGER NOT NULL,
    status TEXT NOT NULL,
    status_before_hold TEXT,
    released_at TIMESTAMP NOT NULL,
    completed_at TIMESTAMP,
    closed_at TIMESTAMP
);
CREATE INDEX ix_work_orders_status ON work_orders (status);

CREATE TABLE wo_operations (
    wo_id TEXT NOT NULL REFERENCES work_orders (wo_id),
    op_seq INTEGER NOT NULL,
    work_center_id TEXT NOT NULL REFERENCES work_centers (work_center_id),
    description TEXT,
    setup_minutes DOUBLE PRECISION NOT NULL,
    run_minutes_per_unit DOUBLE PRECISION NOT NULL,
    parallel_group TEXT,
    optional BOOLEAN NOT NULL,
    status TEXT NOT NULL,
    status_before_hold TEXT,
    station_id TEXT,
    started_by TEXT,
    started_at TIMESTAMP,
    completed_at TIMESTAMP,
    qty_good DOUBLE PRECISION NOT NULL,
    qty_scrap DOUBLE PRECISION NOT NULL,
    qty_rework DOUBLE PRECISION NOT NULL,
    instruction_id BIGINT,
    queue_position INTEGER,
    PRIMARY KEY (wo_id, op_seq)
);
CREATE INDEX ix_wo_operations_center ON wo_operations (work_center_id, status);
