// name: control_reach
// params: keys
// The AI systems whose gap rows read these controls: their scope (article_without_control)
// and the systems their evidence concerns (evidence_stale reads the control's status, review
// period and owner); org_wide: every system (article_without_control).
UNWIND $keys AS k
MATCH (c:Control {id: k})
OPTIONAL MATCH (c)-[:APPLIES_TO]->(a:Asset)
WITH k, c, collect(DISTINCT a.id) AS scope
OPTIONAL MATCH (c)<-[:SUPPORTS]-(:Evidence)-[:CONCERNS]->(b:Asset)
RETURN k AS key, c.org_wide AS org_wide, scope, collect(DISTINCT b.id) AS assets
