// name: events_between
// params: from_seq, to_seq
// Every event with from_seq < seq <= to_seq, in seq order (the whole log: 0 and the head;
// `changes --since` a snapshot: the seq recorded with it).
MATCH (e:ChangeEvent)
WHERE e.seq > $from_seq AND e.seq <= $to_seq
RETURN e.id AS id, e.seq AS seq, e.at AS at, e.actor AS actor, e.command AS command,
       e.batch_id AS batch_id, e.input_file AS input_file, e.input_sha256 AS input_sha256,
       e.entity_kind AS entity_kind, e.entity_key AS entity_key, e.change AS change,
       e.fields AS fields, e.prev_hash AS prev_hash, e.hash AS hash
ORDER BY seq
