-- NCRs awaiting a disposition, oldest first, with the hold each placed (for the quality screen).
SELECT n.ncr_id, n.wo_id, n.op_seq, n.station_id, n.subject_kind, n.subject, n.description,
       n.opened_by, n.opened_at, h.hold_id, h.status AS hold_status
FROM qc_ncr n
LEFT JOIN qc_hold h ON h.ncr_id = n.ncr_id
WHERE n.status = 'open'
ORDER BY n.ncr_id, h.hold_id
