// name: last_seq
// params:
// The head's sequence number (null for an empty log): an aggregate over one column, far cheaper
// than sorting the log; the head's hash is then read by key (audit.event).
MATCH (e:ChangeEvent)
RETURN max(e.seq) AS seq
