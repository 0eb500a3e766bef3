// name: evidence
// params: asset, controls
// Evidence supporting the given controls that concerns the AI system or no system in particular.
UNWIND $controls AS cid
WITH cid
MATCH (c:Control {id: cid})
MATCH (c)<-[:SUPPORTS]-(e:Evidence)
WHERE EXISTS { MATCH (e)-[:CONCERNS]->(:Asset {id: $asset}) }
   OR EXISTS { MATCH (e)-[:CONCERNS]->(:Asset) } = false
OPTIONAL MATCH (e)-[:OWNED_BY]->(o:Owner)
RETURN c.id AS control, e.id AS id, e.kind AS kind, e.title AS title, e.uri AS uri,
       e.sha256 AS sha256, e.collected_on AS collected_on, e.valid_until AS valid_until,
       e.version AS version, e.file_status AS file_status, o.id AS owner
ORDER BY control, collected_on DESC, id
