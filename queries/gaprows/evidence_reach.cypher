// name: evidence_reach
// params: keys
// The nodes whose gap rows read these evidence items: the AI systems they concern (presence
// and log rules, evidence_stale) and the controls they support (control_without_evidence,
// evidence_stale_org).
UNWIND $keys AS k
MATCH (e:Evidence {id: k})
OPTIONAL MATCH (e)-[:CONCERNS]->(a:Asset)
WITH k, e, collect(DISTINCT a.id) AS assets
OPTIONAL MATCH (e)-[:SUPPORTS]->(c:Control)
WITH k, e, assets, collect(DISTINCT c.id) AS controls
OPTIONAL MATCH (e)-[:SUPPORTS_ORG]->(g:Control)
RETURN k AS key, assets, controls, collect(DISTINCT g.id) AS org_controls
