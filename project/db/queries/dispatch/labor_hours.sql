-- Closed labor of one work order per operation, operator and kind, in hours (as mes.labor.hours).
SELECT wo_id, op_seq, username, kind, SUM(duration_ms) / 3600000.0 AS hours, COUNT(*) AS entries
FROM labor_entries
WHERE wo_id = :wo_id AND clock_off IS NOT NULL
GROUP BY wo_id, op_seq, username, kind
ORDER BY op_seq, username, kind
