// name: asset_without_owner
// params:
// anchor: a:Asset
// AI systems (not retired) with no named owner.
MATCH (a:Asset)
WHERE a.lifecycle <> 'retired' AND EXISTS { MATCH (a)-[:OWNED_BY]->(:Owner) } = false
RETURN a.id AS subject, a.id AS asset, a.name AS name, a.lifecycle AS lifecycle
ORDER BY subject
