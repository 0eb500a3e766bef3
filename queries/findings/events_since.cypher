// name: events_since
// params: since
// The change events after seq $since (what happened since the last reconcile), oldest first.
MATCH (e:ChangeEvent)
WHERE e.seq > $since
RETURN e.seq AS seq, e.actor AS actor, e.command AS command, e.entity_kind AS kind,
       e.entity_key AS key, e.change AS change
ORDER BY seq
