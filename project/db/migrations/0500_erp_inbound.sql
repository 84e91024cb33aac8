-- ERP inbound: accepted documents (idempotency), rejections with their reason, plant units and
-- settings, and the ERP's work orders / items / lots as received (the record the MES works from).

CREATE TABLE erp_setting (
    name TEXT NOT NULL PRIMARY KEY,
    value TEXT
);

CREATE TABLE erp_unit (
    code TEXT NOT NULL PRIMARY KEY,
    description TEXT
);

INSERT INTO erp_unit (code, description) VALUES ('EA', 'each');
INSERT INTO erp_unit (code, description) VALUES ('KG', 'kilogram');
INSERT INTO erp_unit (code, description) VALUES ('G', 'gram');
INSERT INTO erp_unit (code, description) VALUES ('L', 'litre');
INSERT INTO erp_unit (code, description) VALUES ('ML', 'millilitre');
INSERT INTO erp_unit (code, description) VALUES ('M', 'metre');
INSERT INTO erp_unit (code, description) VALUES ('MM', 'millimetre');
INSERT INTO erp_unit (code, description) VALUES ('H', 'hour');

CREATE TABLE erp_sequence (
    name TEXT NOT NULL PRIMARY KEY,
    value BIGINT NOT NULL
);

INSERT INTO erp_sequence (name, value) VALUES ('outbox', 0);
INSERT INTO erp_sequence (name, value) VALUES ('message', 0);
INSERT INTO erp_sequence (name, value) VALUES ('completion', 0);
INSERT INTO erp_sequence (name, value) VALUES ('inbound_error', 0);

CREATE TABLE erp_inbound_document (
    document_hash TEXT NOT NULL PRIMARY KEY,
    message_id TEXT,
    source TEXT NOT NULL,
    kind TEXT NOT NULL,
    version TEXT NOT NULL,
    received_ms BIGINT NOT NULL,
    summary TEXT
);

CREATE UNIQUE INDEX erp_inbound_document_message ON erp_inbound_document (message_id);

CREATE TABLE erp_inbound_error (
    id BIGINT NOT NULL PRIMARY KEY,
    document_hash TEXT NOT NULL,
    message_id TEXT,
    source TEXT NOT NULL,
    received_ms BIGINT NOT NULL,
    code TEXT NOT NULL,
    reason TEXT NOT NULL,
    excerpt TEXT
);

CREATE TABLE erp_item (
    item_id TEXT NOT NULL PRIMARY KEY,
    revision TEXT NOT NULL,
    description TEXT,
    uom TEXT NOT NULL,
    tracking TEXT NOT NULL,
    consumption TEXT NOT NULL,
    updated_ms BIGINT NOT NULL
);

CREATE TABLE erp_lot (
    lot_id TEXT NOT NULL PRIMARY KEY,
    item_id TEXT NOT NULL,
    quantity DOUBLE PRECISION NOT NULL,
    uom TEXT NOT NULL,
    status TEXT NOT NULL,
    received_ms BIGINT NOT NULL
);

CREATE TABLE erp_work_order (
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

CREATE TABLE erp_wo_operation (
    wo_id TEXT NOT NULL,
    op_seq TEXT NOT NULL,
    position INTEGER NOT NULL,
    segment_id TEXT,
    work_center TEXT,
    duration_s DOUBLE PRECISION,
    start_ms BIGINT,
    end_ms BIGINT,
    PRIMARY KEY (wo_id, op_seq)
);

CREATE TABLE erp_wo_material (
    wo_id TEXT NOT NULL,
    line INTEGER NOT NULL,
    op_seq TEXT NOT NULL,
    item_id TEXT NOT NULL,
    quantity DOUBLE PRECISION NOT NULL,
    uom TEXT NOT NULL,
    lot_id TEXT,
    PRIMARY KEY (wo_id, line)
);
