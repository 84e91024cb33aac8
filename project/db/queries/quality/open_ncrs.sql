-- NCRs awaiting a disposition, oldest first, with the hold each placed (for the quality screen).
SELECT n.id AS ncr_id, n.wo_id, n.op_seq, n.station_id, n.subject_kind, n.subject,
       n.description, n.opened_by, n.opened_at, h.id AS hold_id, h.status AS hold_status
FROM qc_ncrs n
LEFT JOIN qc_holds h ON h.ncr_id = n.id
WHERE n.status = 'open'
ORDER BY n.id, h.id
