// name: owner_items
// params: owner
// An owner and what they own, one row per item: kind (owner | asset | control | dataset), id,
// name, detail (owner: team; asset: risk tier; control: status; dataset: provenance) and links
// (owner: [email]; asset: datasets it uses; control: AI systems in scope; dataset: AI systems
// using it). No rows when the owner does not exist. Evidence is in views.owner_evidence.
MATCH (o:Owner {id: $owner})
RETURN 'owner' AS kind, o.id AS id, o.name AS name, o.team AS detail, [o.email] AS links
UNION ALL
MATCH (o:Owner {id: $owner})
MATCH (a:Asset)-[:OWNED_BY]->(o)
OPTIONAL MATCH (a)-[:USES]->(d:Dataset)
WITH a, collect(d.id) AS links
RETURN 'asset' AS kind, a.id AS id, a.name AS name, a.risk_tier AS detail, links
UNION ALL
MATCH (o:Owner {id: $owner})
MATCH (c:Control)-[:OWNED_BY]->(o)
OPTIONAL MATCH (c)-[:APPLIES_TO]->(a:Asset)
WITH c, collect(a.id) AS links
RETURN 'control' AS kind, c.id AS id, c.name AS name, c.status AS detail, links
UNION ALL
MATCH (o:Owner {id: $owner})
MATCH (d:Dataset)-[:OWNED_BY]->(o)
OPTIONAL MATCH (d)<-[:USES]-(a:Asset)
WITH d, collect(a.id) AS links
RETURN 'dataset' AS kind, d.id AS id, d.name AS name, d.provenance AS detail, links
