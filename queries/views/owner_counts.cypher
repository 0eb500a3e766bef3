// name: owner_counts
// params:
// How many AI systems, controls, datasets and evidence items each owner owns: one row per
// owner and kind (owners who own nothing of a kind have no row for it). The dashboard's owners page.
MATCH (a:Asset)-[:OWNED_BY]->(o:Owner)
RETURN o.id AS owner, 'asset' AS kind, count(a) AS items
UNION ALL
MATCH (c:Control)-[:OWNED_BY]->(o:Owner)
RETURN o.id AS owner, 'control' AS kind, count(c) AS items
UNION ALL
MATCH (d:Dataset)-[:OWNED_BY]->(o:Owner)
RETURN o.id AS owner, 'dataset' AS kind, count(d) AS items
UNION ALL
MATCH (e:Evidence)-[:OWNED_BY]->(o:Owner)
RETURN o.id AS owner, 'evidence' AS kind, count(e) AS items
