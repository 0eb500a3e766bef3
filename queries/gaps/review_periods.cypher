// name: review_periods
// params:
// The distinct review periods (days) of implemented controls, for evidence_stale's cutoffs.
MATCH (c:Control)
WHERE c.status = 'implemented' AND c.review_every_days IS NOT NULL
RETURN DISTINCT c.review_every_days AS days
ORDER BY days
