// name: pair_counts
// params:
// How many (AI system, applicable article) pairs of systems not retired (subject_pairs' scope)
// there are per chapter and risk tier, counted in the engine.
MATCH (a:Asset)-[:SUBJECT_TO]->(r:Article)
WHERE a.lifecycle <> 'retired'
RETURN r.chapter AS chapter, a.risk_tier AS tier, count(*) AS pairs
