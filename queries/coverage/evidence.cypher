// name: evidence
// params: asset, controls
// Evidence supporting the given controls that concerns the AI system (reached from the system:
// a few dozen items) or no system in particular (the derived SUPPORTS_ORG edges, reached from
// each control by key). Unordered: the caller sorts.
MATCH (:Asset {id: $asset})<-[:CONCERNS]-(e:Evidence)-[:SUPPORTS]->(c:Control)
WHERE c.id IN $controls
OPTIONAL MATCH (e)-[:OWNED_BY]->(o:Owner)
RETURN c.id AS control, e.id AS id, e.kind AS kind, e.title AS title, e.uri AS uri,
       e.sha256 AS sha256, e.collected_on AS collected_on, e.valid_until AS valid_until,
       e.version AS version, e.file_status AS file_status, o.id AS owner
UNION ALL
MATCH (c:Control)<-[:SUPPORTS_ORG]-(e:Evidence)
WHERE c.id IN $controls
OPTIONAL MATCH (e)-[:OWNED_BY]->(o:Owner)
RETURN c.id AS control, e.id AS id, e.kind AS kind, e.title AS title, e.uri AS uri,
       e.sha256 AS sha256, e.collected_on AS collected_on, e.valid_until AS valid_until,
       e.version AS version, e.file_status AS file_status, o.id AS owner
