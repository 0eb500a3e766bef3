// name: scope
// params: assets
// The controls scoped to these AI systems by APPLIES_TO (control null for none).
UNWIND $assets AS k
MATCH (a:Asset {id: k})
OPTIONAL MATCH (a)<-[:APPLIES_TO]-(c:Control)
RETURN a.id AS asset, c.id AS control
