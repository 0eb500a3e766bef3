// name: subject_to_of
// params: assets
// subject_to for several AI systems in one read (a heatmap page, a batch of traces). Each
// system by key, its edges by OPTIONAL MATCH from it (a MATCH of the whole pattern after the
// UNWIND plans a hash join over every SUBJECT_TO edge); no row for a system with none.
UNWIND $assets AS k
MATCH (a:Asset {id: k})
OPTIONAL MATCH (a)-[s:SUBJECT_TO]->(r:Article)
WITH a, s, r
WHERE r IS NOT NULL
RETURN a.id AS asset, r.id AS article, r.number AS number, r.title AS title,
       s.reason AS reason, s.applies_from AS applies_from
ORDER BY asset, r.ordinal
