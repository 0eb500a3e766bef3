// name: events_at
// params: since, until
// Every event with since <= at < until (ISO 8601 UTC strings with 'Z', which sort as times),
// in seq order.
MATCH (e:ChangeEvent)
WHERE e.at >= $since AND e.at < $until
RETURN e.id AS id, e.seq AS seq, e.at AS at, e.actor AS actor, e.command AS command,
       e.batch_id AS batch_id, e.input_file AS input_file, e.input_sha256 AS input_sha256,
       e.entity_kind AS entity_kind, e.entity_key AS entity_key, e.change AS change,
       e.fields AS fields, e.prev_hash AS prev_hash, e.hash AS hash
ORDER BY seq
