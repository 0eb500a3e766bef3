// name: owner_reach
// params: keys
// What these owners own that coverage names: systems, controls and evidence items.
UNWIND $keys AS k
MATCH (o:Owner {id: k})
OPTIONAL MATCH (o)<-[:OWNED_BY]-(a:Asset)
RETURN o.id AS owner, 'Asset' AS kind, a.id AS key
UNION ALL
UNWIND $keys AS k
MATCH (o:Owner {id: k})
OPTIONAL MATCH (o)<-[:OWNED_BY]-(c:Control)
RETURN o.id AS owner, 'Control' AS kind, c.id AS key
UNION ALL
UNWIND $keys AS k
MATCH (o:Owner {id: k})
OPTIONAL MATCH (o)<-[:OWNED_BY]-(e:Evidence)
RETURN o.id AS owner, 'Evidence' AS kind, e.id AS key
