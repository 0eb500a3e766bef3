// name: control_reach
// params: keys
// The AI systems whose coverage these controls enter: their APPLIES_TO systems (org_wide:
// every system).
UNWIND $keys AS k
MATCH (c:Control {id: k})
OPTIONAL MATCH (c)-[:APPLIES_TO]->(a:Asset)
RETURN c.id AS control, c.org_wide AS org_wide, a.id AS asset
