-- The pinned work-instruction steps of one operation with what was entered (NULL = not done).
SELECT s.step_no AS step_no, s.kind AS kind, s.prompt AS prompt, s.required AS required,
       r.entered_value AS entered_value, r.recorded_by AS recorded_by, r.recorded_at AS recorded_at
FROM wo_operations o
JOIN instruction_steps s ON s.instruction_id = o.instruction_id
LEFT JOIN step_records r ON r.wo_id = o.wo_id AND r.op_seq = o.op_seq AND r.step_no = s.step_no
WHERE o.wo_id = :wo_id AND o.op_seq = :op_seq
ORDER BY s.step_no
