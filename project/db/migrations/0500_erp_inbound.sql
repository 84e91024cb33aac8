-- ERP inbound: accepted documents (idempotency), rejections with their reason, plant units and
-- settings, and the ERP's work orders / items / lots as received (the record the MES works from).

CREATE TABLE erp_settings (
    name TEXT NOT NULL PRIMARY KEY,
    value TEXT
);

CREATE TABLE erp_units (
    code TEXT NOT NULL PRIMARY KEY,
    description TEXT
);

INSERT INTO erp_units (code, description) VALUES ('EA', 'each');
INSERT INTO erp_units (code, description) VALUES ('KG', 'kilogram');
INSERT INTO erp_units (code, description) VALUES ('G', 'gram');
INSERT INTO erp_units (code, description) VALUES ('L', 'litre');
INSERT INTO erp_units (code, description) VALUES ('ML', 'millilitre');
INSERT INTO erp_units (code, description) VALUES ('M', 'metre');
INSERT INTO erp_units (code, description) VALUES ('MM', 'millimetre');
INSERT INTO erp_units (code, description) VALUES ('H', 'hour');

CREATE TABLE erp_sequences (
    name TEXT NOT NULL PRIMARY KEY,
    value BIGINT NOT NULL
);

INSERT INTO erp_sequences (name, value) VALUES ('message', 0);

CREATE TABLE erp_inbound_documents (
    document_hash TEXT NOT NULL PRIMARY KEY,
    message_id TEXT,
    source TEXT NOT NULL,
    kind TEXT NOT NULL,
    version TEXT NOT NULL,
    received_ms BIGINT NOT NULL,
    summary TEXT
);

CREATE UNIQUE INDEX erp_inbound_document_message ON erp_inbound_documents (message_id);

CREATE TABLE erp_inbound_errors (
    id {{id}},
    document_hash TEXT NOT NULL,
    message_id TEXT,
    source TEXT NOT NULL,
    received_ms BIGINT NOT NULL,
    code TEXT NOT NULL,
    reason TEXT NOT NULL,
    excerpt TEXT
);

CREATE TABLE erp_items (
    item_id TEXT NOT NULL PRIMARY KEY,
    revision TEXT NOT NULL,
    description TEXT,
    uom TEXT NOT NULL,
    tracking TEXT NOT NULL,
    consumption TEXT NOT NULL,
    updated_ms BIGINT NOT NULL
);

CREATE TABLE erp_lots (
    lot_id TEXT NOT NULL PRIMARY KEY,
    item_id TEXT NOT NULL,
    quantity DOUBLE PRECISION NOT NULL,
    uom TEXT NOT NULL,
    status TEXT NOT NULL,
    received_ms BIGINT NOT NULL
);

CREATE TABLE erp_work_orders (
    wo_id TEXT NOT NULL PRIMARY KEY,
    revision TEXT NOT NULL,
    item_id TEXT NOT NULL,
    quantity DOUBLE PRECISION NOT NULL,
    uom TEXT NOT NULL,
    priority INTEGER,
    start_ms BIGINT,
    end_ms BIGINT,
    status TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    document_hash TEXT NOT NULL,
    updated_ms BIGINT NOT NULL
);

CREATE TABLE erp_wo_operations (
    wo_id TEXT NOT NULL,
    op_seq TEXT NOT NULL,
    step_no INTEGER NOT NULL,
    segment_id TEXT,
    work_center TEXT,
    duration_s DOUBLE PRECISION,
    start_ms BIGINT,
    end_ms BIGINT,
    PRIMARY KEY (wo_id, op_seq)
);

CREATE TABLE erp_wo_materials (
    wo_id TEXT NOT NULL,
    line INTEGER NOT NULL,
    op_seq TEXT NOT NULL,
    item_id TEXT NOT NULL,
    quantity DOUBLE PRECISION NOT NULL,
    uom TEXT NOT NULL,
    lot_id TEXT,
    PRIMARY KEY (wo_id, line)
);
