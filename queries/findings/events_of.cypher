// name: events_of
// params: kind, key
// Every change event of one entity (a finding's story), oldest first.
MATCH (e:ChangeEvent)
WHERE e.entity_kind = $kind AND e.entity_key = $key
RETURN e.seq AS seq, e.at AS at, e.actor AS actor, e.command AS command, e.change AS change,
       e.fields AS fields
ORDER BY seq
