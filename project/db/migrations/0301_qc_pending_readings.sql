-- Gauge readings that arrived while the database was down. The gauge tag event hands each one to
-- store-and-forward (system.db.runSFPrepUpdate), which inserts it here in arrival order once the
-- database is back; mes.quality.forward_pending judges and books them oldest first, deleting a
-- row in the transaction that books it (so a reading is booked once).

CREATE TABLE qc_pending_readings (
    id {{id}},
    gauge_tag TEXT NOT NULL,
    value DOUBLE PRECISION,
    raw_value TEXT,
    quality_good BOOLEAN NOT NULL,
    received_at TIMESTAMP NOT NULL
);
