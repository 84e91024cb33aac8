-- SPC rule hits of one characteristic, newest first, with the reading that completed each.
SELECT s.id AS signal_id, s.rule, s.measurement_id, s.first_measurement_id, s.hold_id,
       s.raised_at, m.value, m.wo_id, m.station_id
FROM qc_spc_signals s
JOIN qc_measurements m ON m.id = s.measurement_id
WHERE s.char_id = :char_id
ORDER BY s.id DESC
