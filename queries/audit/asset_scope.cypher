// name: asset_scope
// params: asset
// What reaches one AI system now, for `changes --asset`: the system, its owner, the controls that
// apply to it (APPLIES_TO or org-wide), the evidence supporting them (via: the control), evidence
// about the system, its datasets and its incidents. One row per entity and path.
MATCH (a:Asset {id: $asset})
RETURN 'Asset' AS kind, a.id AS id, '' AS via
UNION ALL
MATCH (:Asset {id: $asset})-[:OWNED_BY]->(o:Owner)
RETURN 'Owner' AS kind, o.id AS id, '' AS via
UNION ALL
MATCH (c:Control)
WHERE c.org_wide OR EXISTS { MATCH (c)-[:APPLIES_TO]->(:Asset {id: $asset}) }
RETURN 'Control' AS kind, c.id AS id, '' AS via
UNION ALL
MATCH (e:Evidence)-[:SUPPORTS]->(c:Control)
WHERE c.org_wide OR EXISTS { MATCH (c)-[:APPLIES_TO]->(:Asset {id: $asset}) }
RETURN 'Evidence' AS kind, e.id AS id, c.id AS via
UNION ALL
MATCH (e:Evidence)-[:CONCERNS]->(:Asset {id: $asset})
RETURN 'Evidence' AS kind, e.id AS id, '' AS via
UNION ALL
MATCH (:Asset {id: $asset})-[:USES]->(d:Dataset)
RETURN 'Dataset' AS kind, d.id AS id, '' AS via
UNION ALL
MATCH (i:Incident)-[:INVOLVES]->(:Asset {id: $asset})
RETURN 'Incident' AS kind, i.id AS id, '' AS via
