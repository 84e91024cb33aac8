-- Production reported to the ERP: completions per operation with the consumption (by lot or
-- backflushed), labour and quality results that go with them.

CREATE TABLE erp_completions (
    id {{id}},
    wo_id TEXT NOT NULL,
    op_seq TEXT NOT NULL,
    good DOUBLE PRECISION NOT NULL,
    scrap DOUBLE PRECISION NOT NULL,
    rework DOUBLE PRECISION NOT NULL,
    produced_lot TEXT,
    start_ms BIGINT NOT NULL,
    end_ms BIGINT NOT NULL,
    actor TEXT,
    recorded_ms BIGINT NOT NULL
);

CREATE INDEX erp_completion_wo ON erp_completions (wo_id, op_seq);

CREATE TABLE erp_completion_materials (
    completion_id BIGINT NOT NULL,
    line INTEGER NOT NULL,
    item_id TEXT NOT NULL,
    lot_id TEXT,
    quantity DOUBLE PRECISION NOT NULL,
    uom TEXT NOT NULL,
    method TEXT NOT NULL,
    PRIMARY KEY (completion_id, line)
);

CREATE TABLE erp_completion_labor (
    completion_id BIGINT NOT NULL,
    line INTEGER NOT NULL,
    person_id TEXT NOT NULL,
    hours DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (completion_id, line)
);

CREATE TABLE erp_completion_results (
    completion_id BIGINT NOT NULL,
    line INTEGER NOT NULL,
    test_id TEXT NOT NULL,
    result TEXT NOT NULL,
    value DOUBLE PRECISION,
    uom TEXT,
    PRIMARY KEY (completion_id, line)
);
