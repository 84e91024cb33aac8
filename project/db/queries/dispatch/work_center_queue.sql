-- The queue of one work center as mes.dispatch.queue orders it (lead's positions first, then
-- priority, due date, work order, operation); for tables on operator and lead screens.
SELECT o.wo_id AS wo_id, o.op_seq AS op_seq, o.description AS description, o.status AS status,
       w.item_id AS item_id, w.qty_released AS qty_released, w.priority AS priority,
       w.due_date AS due_date, o.queue_position AS queue_position
FROM wo_operations o
JOIN work_orders w ON w.wo_id = o.wo_id
WHERE o.work_center_id = :work_center_id
  AND o.status IN ('released', 'paused')
  AND w.status IN ('released', 'in_progress')
ORDER BY CASE WHEN o.queue_position IS NULL THEN 1 ELSE 0 END, o.queue_position, w.priority,
         w.due_date, o.wo_id, o.op_seq
