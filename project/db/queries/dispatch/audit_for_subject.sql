-- The audit trail of one subject (e.g. 'wo/WO-1001/10'), oldest first.
SELECT seq, recorded_at, actor, action, details, reason
FROM audit_trail
WHERE subject = :subject
ORDER BY seq
