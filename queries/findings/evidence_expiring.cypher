// name: evidence_expiring
// params: from_day, to_day, owner
// Evidence whose valid-until date falls from $from_day to $to_day, with its owner ($owner '' = any).
MATCH (e:Evidence)-[:OWNED_BY]->(o:Owner)
WHERE e.valid_until >= $from_day AND e.valid_until <= $to_day AND ($owner = '' OR o.id = $owner)
RETURN e.id AS id, e.title AS title, e.valid_until AS valid_until, o.id AS owner
ORDER BY valid_until, id
