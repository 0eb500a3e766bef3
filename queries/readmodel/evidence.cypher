// name: evidence
// params: assets
// The evidence concerning these AI systems, per control it supports (the system's side of
// coverage.evidence).
UNWIND $assets AS k
MATCH (a:Asset {id: k})
OPTIONAL MATCH (a)<-[:CONCERNS]-(e:Evidence)
OPTIONAL MATCH (e)-[:SUPPORTS]->(c:Control)
OPTIONAL MATCH (e)-[:OWNED_BY]->(o:Owner)
RETURN a.id AS asset, c.id AS control, e.id AS id, e.kind AS kind, e.title AS title,
       e.uri AS uri, e.sha256 AS sha256, e.collected_on AS collected_on,
       e.valid_until AS valid_until, e.version AS version, e.file_status AS file_status,
       o.id AS owner
