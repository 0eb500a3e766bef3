// name: evidence_hash_mismatch
// params:
// anchor: e:Evidence
// Local evidence files that changed since they were hashed, or are missing.
// One row per AI system the item concerns (system null for organisation-level evidence).
MATCH (e:Evidence)
WHERE e.file_status IN ['changed', 'missing']
OPTIONAL MATCH (e)-[:OWNED_BY]->(o:Owner)
OPTIONAL MATCH (e)-[:CONCERNS]->(a:Asset)
RETURN e.id AS subject, a.id AS system, a.lifecycle AS lifecycle, o.id AS owner,
       e.file_status AS status, e.local_path AS local_path
ORDER BY subject, system
