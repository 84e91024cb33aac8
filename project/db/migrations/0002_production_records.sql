-- Production counts reported per machine and interval (written through store-and-forward).
CREATE TABLE production_records (
    id {{id}},
    record_key TEXT NOT NULL UNIQUE,
    machine TEXT NOT NULL,
    good_count BIGINT NOT NULL,
    reject_count BIGINT NOT NULL,
    recorded_at TIMESTAMP NOT NULL
);

CREATE INDEX ix_production_records_machine_time ON production_records (machine, recorded_at);
