// name: evidence_reach
// params: keys
// Where these evidence items enter coverage: the systems they concern, and the controls
// they support as organisation-level evidence (SUPPORTS_ORG).
UNWIND $keys AS k
MATCH (e:Evidence {id: k})
OPTIONAL MATCH (e)-[:CONCERNS]->(a:Asset)
RETURN a.id AS asset, '' AS control
UNION ALL
UNWIND $keys AS k
MATCH (e:Evidence {id: k})
OPTIONAL MATCH (e)-[:SUPPORTS_ORG]->(c:Control)
RETURN '' AS asset, c.id AS control
