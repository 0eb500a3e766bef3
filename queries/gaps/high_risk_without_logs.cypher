// name: high_risk_without_logs
// params:
// High-risk AI systems in production with no log evidence at all.
MATCH (a:Asset)
WHERE a.risk_tier = 'high' AND a.lifecycle = 'production'
  AND EXISTS { MATCH (a)<-[:CONCERNS]-(e:Evidence) WHERE e.kind = 'log' } = false
OPTIONAL MATCH (a)-[:OWNED_BY]->(o:Owner)
RETURN a.id AS subject, a.id AS asset, o.id AS owner, a.annex_i AS annex_i
ORDER BY subject
