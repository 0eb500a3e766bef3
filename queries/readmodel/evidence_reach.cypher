// name: evidence_reach
// params: keys
// Where these evidence items enter coverage: the systems they concern, the controls they
// support as organisation-level evidence (SUPPORTS_ORG: ``control``) and those they support
// for the systems they concern (SUPPORTS: ``supports``, which reach no other system).
UNWIND $keys AS k
MATCH (e:Evidence {id: k})
OPTIONAL MATCH (e)-[:CONCERNS]->(a:Asset)
RETURN a.id AS asset, '' AS control, '' AS supports
UNION ALL
UNWIND $keys AS k
MATCH (e:Evidence {id: k})
OPTIONAL MATCH (e)-[:SUPPORTS_ORG]->(c:Control)
RETURN '' AS asset, c.id AS control, '' AS supports
UNION ALL
UNWIND $keys AS k
MATCH (e:Evidence {id: k})
OPTIONAL MATCH (e)-[:SUPPORTS]->(c:Control)
RETURN '' AS asset, '' AS control, c.id AS supports
