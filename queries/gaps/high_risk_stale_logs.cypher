// name: high_risk_stale_logs
// params: cutoff
// High-risk AI systems in production whose newest log evidence was collected before $cutoff.
MATCH (a:Asset)
WHERE a.risk_tier = 'high' AND a.lifecycle = 'production'
MATCH (a)<-[:CONCERNS]-(e:Evidence)
WHERE e.kind = 'log'
WITH a, max(e.collected_on) AS newest
WHERE newest < $cutoff
OPTIONAL MATCH (a)-[:OWNED_BY]->(o:Owner)
RETURN a.id AS subject, a.id AS asset, o.id AS owner, newest, a.annex_i AS annex_i
ORDER BY subject
