// name: evidence
// params:
// Every evidence item with all its properties, its owner, the controls it supports, the AI
// systems it concerns and the incidents it reports (review snapshots, inventory hash).
MATCH (e:Evidence)
OPTIONAL MATCH (e)-[:OWNED_BY]->(o:Owner)
WITH e, collect(o.id) AS owners
OPTIONAL MATCH (e)-[:SUPPORTS]->(c:Control)
WITH e, owners, collect(c.id) AS supports
OPTIONAL MATCH (e)-[:CONCERNS]->(a:Asset)
WITH e, owners, supports, collect(a.id) AS concerns
OPTIONAL MATCH (e)-[:REPORTS]->(i:Incident)
WITH e, owners, supports, concerns, collect(i.id) AS reports
RETURN e.id AS id, e.title AS title, e.kind AS kind, e.uri AS uri, e.sha256 AS sha256,
       e.collected_on AS collected_on, e.valid_until AS valid_until,
       e.retention_days AS retention_days, e.version AS version, e.local_path AS local_path,
       e.file_sha256 AS file_sha256, e.file_status AS file_status,
       e.file_checked_on AS file_checked_on, owners, supports, concerns, reports
ORDER BY id
