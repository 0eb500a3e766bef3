// name: event
// params: id
// One event by its key (the seq zero-padded to 12 digits): its seq and hash.
MATCH (e:ChangeEvent {id: $id})
RETURN e.seq AS seq, e.hash AS hash
