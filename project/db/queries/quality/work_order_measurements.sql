-- Every reading of one work order with its characteristic and verdict, in the order taken.
SELECT m.id AS measurement_id, m.op_seq, c.name AS characteristic, m.value, m.units, m.passed,
       c.lsl, c.usl, m.lot, m.serial, m.station_id, m.operator, m.source, m.measured_at
FROM qc_measurements m
JOIN qc_characteristics c ON c.id = m.char_id
WHERE m.wo_id = :wo_id
ORDER BY m.id
