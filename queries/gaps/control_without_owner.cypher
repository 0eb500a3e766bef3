// name: control_without_owner
// params:
// anchor: c:Control
// Controls (planned or implemented) with no named owner.
MATCH (c:Control)
WHERE c.status <> 'not_applicable' AND EXISTS { MATCH (c)-[:OWNED_BY]->(:Owner) } = false
RETURN c.id AS subject, c.name AS name
ORDER BY subject
