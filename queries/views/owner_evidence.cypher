// name: owner_evidence
// params: owner
// Evidence an owner is accountable for, with the controls it supports (and the shortest review
// period among them, which decides freshness) and the AI systems it concerns.
MATCH (o:Owner {id: $owner})
MATCH (e:Evidence)-[:OWNED_BY]->(o)
OPTIONAL MATCH (e)-[:SUPPORTS]->(c:Control)
OPTIONAL MATCH (e)-[:CONCERNS]->(a:Asset)
WITH e, collect(DISTINCT c.id) AS controls, collect(DISTINCT a.id) AS assets,
     min(c.review_every_days) AS review_days
RETURN e.id AS id, e.title AS title, e.kind AS kind, e.uri AS uri,
       e.collected_on AS collected_on, e.valid_until AS valid_until,
       e.file_status AS file_status, controls, assets, review_days
ORDER BY id
