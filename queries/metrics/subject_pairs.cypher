// name: subject_pairs
// params:
// Every (AI system, applicable article) pair of systems not retired, with chapter and tier.
MATCH (a:Asset)-[s:SUBJECT_TO]->(r:Article)
WHERE a.lifecycle <> 'retired'
RETURN a.id AS asset, a.risk_tier AS tier, r.id AS article, r.chapter AS chapter,
       s.applies_from AS applies_from
ORDER BY asset, article
