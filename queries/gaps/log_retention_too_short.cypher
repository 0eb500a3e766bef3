// name: log_retention_too_short
// params: min_days
// Logs of high-risk AI systems (not retired) kept for fewer than $min_days days.
MATCH (a:Asset)<-[:CONCERNS]-(e:Evidence)
WHERE a.risk_tier = 'high' AND a.lifecycle <> 'retired' AND e.kind = 'log'
  AND e.retention_days < $min_days
OPTIONAL MATCH (e)-[:OWNED_BY]->(o:Owner)
RETURN e.id AS subject, a.id AS asset, o.id AS owner, e.retention_days AS retention_days,
       a.annex_i AS annex_i
ORDER BY subject, asset
