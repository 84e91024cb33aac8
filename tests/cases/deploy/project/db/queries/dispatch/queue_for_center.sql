SELECT wo_id FROM work_order WHERE work_center = :center AND status = 'released' ORDER BY priority, due
