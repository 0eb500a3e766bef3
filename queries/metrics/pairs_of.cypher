// name: pairs_of
// params: assets
// subject_pairs for a few AI systems, by key (the pairs no control addresses, to place them by
// chapter and tier); each system by key, its edges by OPTIONAL MATCH from it.
UNWIND $assets AS k
MATCH (a:Asset {id: k})
OPTIONAL MATCH (a)-[:SUBJECT_TO]->(r:Article)
WITH a, r
WHERE r IS NOT NULL AND a.lifecycle <> 'retired'
RETURN a.id AS asset, a.risk_tier AS tier, r.id AS article, r.chapter AS chapter
