-- Downtime events of one machine starting in [from_ms, to_ms), newest first, with the reason pieces
-- an operator may assign or split (mes.oeelive.assign_reason).
SELECT i.id AS interval_id, i.start_ms, i.end_ms, i.state_code, i.category, i.fault_code,
       i.work_order, r.start_ms AS reason_start_ms, r.end_ms AS reason_end_ms, r.reason_code,
       r.source, r.assigned_by
FROM oee_state_intervals i
JOIN oee_downtime_reasons r ON r.interval_id = i.id AND r.active
WHERE i.machine_id = :machine_id
  AND i.start_ms >= :from_ms
  AND i.start_ms < :to_ms
ORDER BY i.start_ms DESC, i.id DESC, r.start_ms
