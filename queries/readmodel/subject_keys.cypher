// name: subject_keys
// params: assets
// The articles these AI systems are SUBJECT_TO (article null for none): their cells' keys.
UNWIND $assets AS k
MATCH (a:Asset {id: k})
OPTIONAL MATCH (a)-[:SUBJECT_TO]->(r:Article)
RETURN a.id AS asset, r.id AS article
