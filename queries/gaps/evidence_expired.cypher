// name: evidence_expired
// params: as_of
// anchor: e:Evidence
// Evidence whose valid_until date is before $as_of.
// One row per AI system the item concerns (system null for organisation-level evidence).
MATCH (e:Evidence)
WHERE e.valid_until < $as_of
OPTIONAL MATCH (e)-[:OWNED_BY]->(o:Owner)
OPTIONAL MATCH (e)-[:CONCERNS]->(a:Asset)
RETURN e.id AS subject, a.id AS system, a.lifecycle AS lifecycle, o.id AS owner,
       e.valid_until AS valid_until
ORDER BY subject, system
