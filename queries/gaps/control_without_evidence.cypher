// name: control_without_evidence
// params:
// anchor: c:Control
// Implemented controls that no evidence supports.
MATCH (c:Control)
WHERE c.status = 'implemented' AND EXISTS { MATCH (c)<-[:SUPPORTS]-(:Evidence) } = false
OPTIONAL MATCH (c)-[:OWNED_BY]->(o:Owner)
RETURN c.id AS subject, o.id AS owner, c.name AS name
ORDER BY subject
