-- Bookkeeping of the db layer itself.

-- Store-and-forward: one row per forwarded record, written in the same transaction as the
-- record's statement, so a drain interrupted by a crash never applies a record twice.
CREATE TABLE sf_applied (
    record_key TEXT PRIMARY KEY,
    datasource TEXT NOT NULL,
    queued_at TIMESTAMP NOT NULL,
    applied_at TIMESTAMP NOT NULL
);
