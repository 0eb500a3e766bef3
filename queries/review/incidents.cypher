// name: incidents
// params:
// Every incident with all its properties and the AI systems it involves (review snapshots,
// inventory hash).
MATCH (i:Incident)
OPTIONAL MATCH (i)-[:INVOLVES]->(a:Asset)
WITH i, collect(a.id) AS involves
RETURN i.id AS id, i.description AS description, i.severity AS severity,
       i.occurred_on AS occurred_on, i.aware_on AS aware_on, i.reported_on AS reported_on,
       involves
ORDER BY id
