// name: evidence_without_owner
// params:
// anchor: e:Evidence
// Evidence items with no named owner.
// One row per AI system the item concerns (system null for organisation-level evidence).
MATCH (e:Evidence)
WHERE EXISTS { MATCH (e)-[:OWNED_BY]->(:Owner) } = false
OPTIONAL MATCH (e)-[:CONCERNS]->(a:Asset)
RETURN e.id AS subject, a.id AS system, a.lifecycle AS lifecycle, e.title AS name
ORDER BY subject, system
