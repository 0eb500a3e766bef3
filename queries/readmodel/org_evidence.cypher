// name: org_evidence
// params: controls
// Organisation-level evidence (SUPPORTS_ORG) of these controls (the other half of
// coverage.evidence).
UNWIND $controls AS k
MATCH (c:Control {id: k})
OPTIONAL MATCH (c)<-[:SUPPORTS_ORG]-(e:Evidence)
OPTIONAL MATCH (e)-[:OWNED_BY]->(o:Owner)
RETURN c.id AS control, e.id AS id, e.kind AS kind, e.title AS title, e.uri AS uri,
       e.sha256 AS sha256, e.collected_on AS collected_on, e.valid_until AS valid_until,
       e.version AS version, e.file_status AS file_status, o.id AS owner
