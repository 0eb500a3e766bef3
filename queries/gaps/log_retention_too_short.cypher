// name: log_retention_too_short
// params: articles, min_days
// anchor: a:Asset
// Logs kept for fewer than $min_days days, of AI systems SUBJECT_TO one of $articles (Art. 19(1)
// providers, 26(6) deployers); one row per log and system it concerns.
MATCH (r:Article)
WHERE r.id IN $articles
MATCH (a:Asset)-[s:SUBJECT_TO]->(r), (a)<-[:CONCERNS]-(e:Evidence)
WHERE e.kind = 'log' AND e.retention_days < $min_days
WITH a, e, min(s.applies_from) AS due, min(s.applies_from_literal) AS due_literal
OPTIONAL MATCH (e)-[:OWNED_BY]->(o:Owner)
RETURN e.id AS subject, a.id AS asset, o.id AS owner, a.lifecycle AS lifecycle,
       e.retention_days AS retention_days, due, due_literal
ORDER BY subject, asset
