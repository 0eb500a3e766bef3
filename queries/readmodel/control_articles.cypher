// name: control_articles
// params: keys
// The articles on whose coverage paths these controls stand: those they address directly or
// through an ISO clause they implement (the cells evidence of theirs can change).
UNWIND $keys AS k
MATCH (c:Control {id: k})
OPTIONAL MATCH (c)-[:ADDRESSES]->(r:Article)
RETURN r.id AS article
UNION ALL
UNWIND $keys AS k
MATCH (c:Control {id: k})
OPTIONAL MATCH (c)-[:IMPLEMENTS]->(x:Clause)
OPTIONAL MATCH (x)-[:MAPS_TO]->(r:Article)
RETURN r.id AS article
