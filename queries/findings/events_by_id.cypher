// name: events_by_id
// params: ids
// Change events by key (seq zero-padded to 12 digits): the changes that resolved a finding.
UNWIND $ids AS k
MATCH (e:ChangeEvent {id: k})
RETURN e.seq AS seq, e.at AS at, e.actor AS actor, e.command AS command,
       e.entity_kind AS kind, e.entity_key AS key, e.change AS change, e.fields AS fields
ORDER BY seq
