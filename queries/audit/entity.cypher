// name: entity
// params: kind, key, link_kind, link_prefix
// Every event about one entity: its own (entity_kind = $kind, entity_key = $key) and those of
// the links leaving it (entity_kind contains $link_kind '(Kind->', entity_key starts with
// $link_prefix 'key->'), newest first.
MATCH (e:ChangeEvent)
WHERE (e.entity_kind = $kind AND e.entity_key = $key)
   OR (e.entity_kind CONTAINS $link_kind AND e.entity_key STARTS WITH $link_prefix)
RETURN e.id AS id, e.seq AS seq, e.at AS at, e.actor AS actor, e.command AS command,
       e.batch_id AS batch_id, e.input_file AS input_file, e.input_sha256 AS input_sha256,
       e.entity_kind AS entity_kind, e.entity_key AS entity_key, e.change AS change,
       e.fields AS fields, e.prev_hash AS prev_hash, e.hash AS hash
ORDER BY seq DESC
