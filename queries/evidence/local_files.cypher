// name: local_files
// params:
// Evidence backed by a local file: declared hash, hash recorded at load, last status.
MATCH (e:Evidence)
WHERE e.local_path IS NOT NULL
RETURN e.id AS id, e.local_path AS local_path, e.sha256 AS sha256,
       e.file_sha256 AS file_sha256, e.file_status AS file_status
ORDER BY id
