// name: scope_all
// params:
// Every APPLIES_TO edge (the full rebuild).
MATCH (c:Control)-[:APPLIES_TO]->(a:Asset)
RETURN a.id AS asset, c.id AS control
