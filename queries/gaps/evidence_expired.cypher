// name: evidence_expired
// params: as_of
// Evidence whose valid_until date is before $as_of.
MATCH (e:Evidence)
WHERE e.valid_until < $as_of
OPTIONAL MATCH (e)-[:OWNED_BY]->(o:Owner)
RETURN e.id AS subject, o.id AS owner, e.valid_until AS valid_until
ORDER BY subject
