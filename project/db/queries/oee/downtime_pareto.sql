-- Downtime by reason for one machine over [from_ms, to_ms): active reason pieces clipped to the
-- window (wall-clock time, breaks included; mes.oeelive.downtime_pareto counts scheduled time only).
SELECT r.reason_code AS reason_code,
       SUM((CASE WHEN COALESCE(r.end_ms, :to_ms) < :to_ms THEN COALESCE(r.end_ms, :to_ms) ELSE :to_ms END)
           - (CASE WHEN r.start_ms > :from_ms THEN r.start_ms ELSE :from_ms END)) AS duration_ms,
       COUNT(DISTINCT r.interval_id) AS events
FROM oee_downtime_reasons r
WHERE r.machine_id = :machine_id
  AND r.active
  AND r.start_ms < :to_ms
  AND (r.end_ms IS NULL OR r.end_ms > :from_ms)
GROUP BY r.reason_code
ORDER BY duration_ms DESC, reason_code
