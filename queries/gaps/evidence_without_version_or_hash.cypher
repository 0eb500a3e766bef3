// name: evidence_without_version_or_hash
// params: hash_kinds
// anchor: e:Evidence
// Evidence with no version, or no sha256 where one is needed: a local file, or an item of a kind
// that needs a hash wherever it lives ($hash_kinds, from graph/evidence_policy.py).
// Rows per system it concerns (system null for organisation-level evidence).
MATCH (e:Evidence)
WHERE e.version IS NULL
  OR (e.sha256 IS NULL AND (e.local_path IS NOT NULL OR e.kind IN $hash_kinds))
OPTIONAL MATCH (e)-[:CONCERNS]->(a:Asset)
OPTIONAL MATCH (e)-[:OWNED_BY]->(o:Owner)
RETURN e.id AS subject, a.id AS system, a.lifecycle AS lifecycle, o.id AS owner, e.kind AS kind,
       e.sha256 AS sha256, e.version AS version, e.local_path AS local_path
ORDER BY subject, system
