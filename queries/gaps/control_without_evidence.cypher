// name: control_without_evidence
// params:
// Implemented controls that no evidence supports.
// Written `EXISTS {…} = false`: Neo4j's linter misreads `NOT EXISTS` on a node whose only
// incoming type is the one tested; LadybugDB plans both forms as the same hash anti-join.
MATCH (c:Control)
WHERE c.status = 'implemented' AND EXISTS { MATCH (c)<-[:SUPPORTS]-(:Evidence) } = false
RETURN c.id AS control, c.name AS name
ORDER BY c.id
