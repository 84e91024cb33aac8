-- Transactional outbox: messages to the ERP, written in the transaction of the event that caused
-- them; sent in id order per key (work order) by the dispatcher, each with its idempotency key.

CREATE TABLE erp_outbox_messages (
    id {{id}},
    kind TEXT NOT NULL,
    msg_key TEXT NOT NULL,
    message_id TEXT NOT NULL,
    content_type TEXT NOT NULL,
    path TEXT,
    payload TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    next_attempt_ms BIGINT NOT NULL,
    created_ms BIGINT NOT NULL,
    sent_ms BIGINT,
    last_status INTEGER,
    last_error TEXT
);

CREATE UNIQUE INDEX erp_outbox_message ON erp_outbox_messages (message_id);
CREATE INDEX erp_outbox_pending ON erp_outbox_messages (status, msg_key, id);
