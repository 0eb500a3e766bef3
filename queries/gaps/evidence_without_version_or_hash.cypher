// name: evidence_without_version_or_hash
// params:
// Evidence with no version, or a local file with no declared sha256.
MATCH (e:Evidence)
WHERE e.version IS NULL OR (e.local_path IS NOT NULL AND e.sha256 IS NULL)
OPTIONAL MATCH (e)-[:OWNED_BY]->(o:Owner)
RETURN e.id AS subject, o.id AS owner, e.version AS version, e.local_path AS local_path
ORDER BY subject
