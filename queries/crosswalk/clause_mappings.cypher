// name: clause_mappings
// params:
// Every ISO/IEC 42001 clause and Annex A control with the AI Act articles it maps to.
MATCH (c:Clause)
OPTIONAL MATCH (c)-[:MAPS_TO]->(a:Article)
WITH c, collect(a.number) AS articles
RETURN c.id AS id, c.number AS number, c.title AS title, c.kind AS kind, articles
ORDER BY c.sort_key
