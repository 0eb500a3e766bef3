// name: discovered_asset_unowned
// params:
// anchor: a:Asset
// AI systems found by discovery (shadow AI) that nobody owns yet.
MATCH (a:Asset)
WHERE a.discovered AND a.lifecycle <> 'retired'
  AND EXISTS { MATCH (a)-[:OWNED_BY]->(:Owner) } = false
RETURN a.id AS subject, a.id AS asset, a.name AS name, a.lifecycle AS lifecycle
ORDER BY subject
