// name: events_by_keys
// params: ids, skip_kinds
// events_since for a recent range: the events with these keys (zero-padded seqs), by primary
// key, that changed the organisation's facts, so the findings' log read after a small write
// costs what the range holds, not the log (graph/audit/read.py, KEYED_RANGE).
UNWIND $ids AS k
MATCH (e:ChangeEvent {id: k})
WHERE e.change <> 'noop' AND NOT e.entity_kind IN $skip_kinds
RETURN e.seq AS seq, e.actor AS actor, e.command AS command, e.entity_kind AS kind,
       e.entity_key AS key, e.change AS change
ORDER BY seq
