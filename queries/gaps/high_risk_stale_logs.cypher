// name: high_risk_stale_logs
// params: articles, as_of, cutoff
// anchor: a:Asset
// AI systems in production SUBJECT_TO one of $articles (Art. 12 providers, 26(6) deployers) whose
// newest log evidence collected by $as_of was collected before $cutoff.
MATCH (r:Article)
WHERE r.id IN $articles
MATCH (a:Asset)-[s:SUBJECT_TO]->(r), (a)<-[:CONCERNS]-(e:Evidence)
WHERE a.lifecycle = 'production' AND e.kind = 'log' AND e.collected_on <= $as_of
WITH a, min(s.applies_from) AS due, min(s.applies_from_literal) AS due_literal,
     max(e.collected_on) AS newest
WHERE newest < $cutoff
OPTIONAL MATCH (a)-[:OWNED_BY]->(o:Owner)
RETURN a.id AS subject, a.id AS asset, o.id AS owner, a.lifecycle AS lifecycle, newest, due,
       due_literal
ORDER BY subject
