// name: head
// params:
// The newest event's sequence number and hash (the head an organisation publishes).
MATCH (e:ChangeEvent)
RETURN e.seq AS seq, e.hash AS hash
ORDER BY seq DESC
LIMIT 1
