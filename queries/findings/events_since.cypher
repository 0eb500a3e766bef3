// name: events_since
// params: since, skip_kinds
// The change events after seq $since that changed the organisation's facts (no no-ops, none
// of the kinds in $skip_kinds: the findings' own writes), oldest first.
MATCH (e:ChangeEvent)
WHERE e.seq > $since AND e.change <> 'noop' AND NOT e.entity_kind IN $skip_kinds
RETURN e.seq AS seq, e.actor AS actor, e.command AS command, e.entity_kind AS kind,
       e.entity_key AS key, e.change AS change
ORDER BY seq
