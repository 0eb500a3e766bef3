// name: evidence_hash_mismatch
// params:
// Local evidence files that changed since they were hashed, or are missing.
MATCH (e:Evidence)
WHERE e.file_status IN ['changed', 'missing']
OPTIONAL MATCH (e)-[:OWNED_BY]->(o:Owner)
RETURN e.id AS subject, o.id AS owner, e.file_status AS status, e.local_path AS local_path
ORDER BY subject
