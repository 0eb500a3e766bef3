// name: asset_without_owner
// params:
// Assets that are not retired and have no named owner.
MATCH (a:Asset)
WHERE a.lifecycle <> 'retired' AND NOT EXISTS { MATCH (a)-[:OWNED_BY]->(:Owner) }
RETURN a.id AS asset, a.name AS name
ORDER BY a.id
