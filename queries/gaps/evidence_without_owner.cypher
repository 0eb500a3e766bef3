// name: evidence_without_owner
// params:
// Evidence items with no named owner.
MATCH (e:Evidence)
WHERE EXISTS { MATCH (e)-[:OWNED_BY]->(:Owner) } = false
RETURN e.id AS subject, e.title AS name
ORDER BY subject
