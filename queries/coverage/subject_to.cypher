// name: subject_to
// params: asset
// The articles one AI system is subject to, with the reason and the date each applies from.
MATCH (a:Asset {id: $asset})
MATCH (a)-[s:SUBJECT_TO]->(r:Article)
RETURN r.id AS article, r.number AS number, r.title AS title, s.reason AS reason,
       s.applies_from AS applies_from
ORDER BY r.ordinal
