// name: events
// params: ids
// The change-log events with these keys (zero-padded seqs): what happened after a fingerprint
// was taken, read by primary key however long the log is.
UNWIND $ids AS k
MATCH (e:ChangeEvent {id: k})
RETURN e.seq AS seq, e.entity_kind AS kind, e.change AS change
