// name: last_seq
// params:
// The head's sequence number on Neo4j (no row for an empty log): one read of the range index
// on ChangeEvent.seq in descending order. The shared max(e.seq) would visit every event on every
// write: Neo4j does not answer an aggregate from an index.
MATCH (e:ChangeEvent)
WHERE e.seq IS NOT NULL
RETURN e.seq AS seq
ORDER BY e.seq DESC
LIMIT 1
