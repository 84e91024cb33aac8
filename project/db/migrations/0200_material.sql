-- Material: genealogy units (every lot and every serial is one unit), lots and sublots, serials,
-- the lot transaction journal, GTINs of items, bill-of-material lines of work orders and the
-- output units a work order is currently producing. Items and work orders themselves belong to
-- dispatch (0100-0199); they are referred to here by their text keys (item_id, wo_id).

CREATE TABLE mat_units (
    id {{id}},
    kind TEXT NOT NULL CHECK (kind IN ('lot', 'serial')),
    item_id TEXT NOT NULL,
    code TEXT NOT NULL,
    UNIQUE (kind, item_id, code)
);

CREATE INDEX mat_units_code ON mat_units (code, kind);

CREATE TABLE lots (
    unit_id BIGINT PRIMARY KEY REFERENCES mat_units (id),
    item_id TEXT NOT NULL,
    lot_no TEXT NOT NULL,
    parent_unit_id BIGINT REFERENCES lots (unit_id),
    status TEXT NOT NULL CHECK (status IN ('released', 'quarantine', 'hold', 'expired', 'consumed')),
    qty DOUBLE PRECISION NOT NULL CHECK (qty >= 0),
    uom TEXT NOT NULL,
    expiry_date TEXT,
    location TEXT,
    status_reason TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (item_id, lot_no)
);

CREATE INDEX lots_lot_no ON lots (lot_no);

CREATE INDEX lots_fefo ON lots (item_id, status, expiry_date);

CREATE INDEX lots_parent ON lots (parent_unit_id);

CREATE TABLE serials (
    unit_id BIGINT PRIMARY KEY REFERENCES mat_units (id),
    item_id TEXT NOT NULL,
    serial_no TEXT NOT NULL,
    lot_unit_id BIGINT REFERENCES lots (unit_id),
    status TEXT NOT NULL CHECK (status IN ('released', 'quarantine', 'hold', 'consumed', 'scrapped')),
    wo_id TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (item_id, serial_no)
);

CREATE INDEX serials_serial_no ON serials (serial_no);

CREATE TABLE lot_transactions (
    id {{id}},
    unit_id BIGINT NOT NULL REFERENCES mat_units (id),
    kind TEXT NOT NULL CHECK (kind IN ('receipt', 'production', 'consumption', 'split', 'merge', 'adjustment', 'status')),
    qty DOUBLE PRECISION NOT NULL,
    qty_after DOUBLE PRECISION NOT NULL,
    status_after TEXT NOT NULL,
    wo_id TEXT,
    op_seq INTEGER,
    bom_line_id BIGINT,
    station TEXT,
    related_unit_id BIGINT,
    actor TEXT NOT NULL,
    reason TEXT,
    at TIMESTAMP NOT NULL
);

CREATE INDEX lot_transactions_unit ON lot_transactions (unit_id, id);

CREATE INDEX lot_transactions_wo ON lot_transactions (wo_id, bom_line_id);

CREATE TABLE item_gtins (
    gtin TEXT PRIMARY KEY,
    item_id TEXT NOT NULL
);

CREATE INDEX item_gtins_item ON item_gtins (item_id);

CREATE TABLE wo_bom_lines (
    id {{id}},
    wo_id TEXT NOT NULL,
    line_no INTEGER NOT NULL,
    item_id TEXT NOT NULL,
    qty_per DOUBLE PRECISION NOT NULL CHECK (qty_per > 0),
    qty_required DOUBLE PRECISION,
    uom TEXT NOT NULL,
    consumption_mode TEXT NOT NULL CHECK (consumption_mode IN ('actual', 'backflush')),
    op_seq INTEGER,
    station TEXT,
    UNIQUE (wo_id, line_no)
);

CREATE INDEX wo_bom_lines_item ON wo_bom_lines (wo_id, item_id);

CREATE TABLE wo_outputs (
    id {{id}},
    wo_id TEXT NOT NULL,
    unit_id BIGINT NOT NULL REFERENCES mat_units (id),
    is_open BOOLEAN NOT NULL,
    opened_at TIMESTAMP NOT NULL,
    UNIQUE (wo_id, unit_id)
);

CREATE INDEX wo_outputs_open ON wo_outputs (wo_id, is_open);
