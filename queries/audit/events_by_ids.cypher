// name: events_by_ids
// params: ids
// Every column of the events with these keys (zero-padded seqs), by primary key: a recent range
// of the log (`changes --since` a recent snapshot) costs what the range holds, not the log.
UNWIND $ids AS k
MATCH (e:ChangeEvent {id: k})
RETURN e.id AS id, e.seq AS seq, e.at AS at, e.actor AS actor, e.command AS command,
       e.batch_id AS batch_id, e.input_file AS input_file, e.input_sha256 AS input_sha256,
       e.entity_kind AS entity_kind, e.entity_key AS entity_key, e.change AS change,
       e.fields AS fields, e.prev_hash AS prev_hash, e.hash AS hash
