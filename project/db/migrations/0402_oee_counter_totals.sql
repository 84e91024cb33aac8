-- Counts kept by the gateway: each counter's running total of parts counted (across wraps and
-- PLC restarts) as of the last time it was written to the count intervals. A flush adds the
-- gateway's total minus this figure, so writing the same total twice counts nothing twice.
ALTER TABLE oee_counter_readings ADD COLUMN counted BIGINT NOT NULL DEFAULT 0;
