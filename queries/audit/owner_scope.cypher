// name: owner_scope
// params: owner
// What one owner is accountable for now, for `changes --owner`: the systems, controls, datasets
// and evidence OWNED_BY them.
MATCH (a:Asset)-[:OWNED_BY]->(:Owner {id: $owner})
RETURN 'Asset' AS kind, a.id AS id, '' AS via
UNION ALL
MATCH (c:Control)-[:OWNED_BY]->(:Owner {id: $owner})
RETURN 'Control' AS kind, c.id AS id, '' AS via
UNION ALL
MATCH (d:Dataset)-[:OWNED_BY]->(:Owner {id: $owner})
RETURN 'Dataset' AS kind, d.id AS id, '' AS via
UNION ALL
MATCH (e:Evidence)-[:OWNED_BY]->(:Owner {id: $owner})
RETURN 'Evidence' AS kind, e.id AS id, '' AS via
