// name: events_by_key
// params: ids
// The events with these keys (zero-padded seqs), by primary key: LadybugDB's write path finds
// the head by probing keys with it (graph/stores/ladybug_audit.py), whatever the log's size.
UNWIND $ids AS k
MATCH (e:ChangeEvent {id: k})
RETURN e.seq AS seq, e.hash AS hash
