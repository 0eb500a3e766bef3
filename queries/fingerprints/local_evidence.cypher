// name: local_evidence
// params:
// Evidence backed by a local file, with the facts the last load or verify recorded about it
// (a re-load that skips evidence.csv must find them unchanged today).
MATCH (e:Evidence)
WHERE e.local_path IS NOT NULL
RETURN e.sha256 AS sha256, e.local_path AS local_path, e.file_sha256 AS file_sha256,
       e.file_status AS file_status, e.file_checked_on AS checked_on
