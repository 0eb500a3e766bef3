// name: state_changes
// params:
// Every change event of a finding that set its state (created, transitioned, deleted), oldest
// first: what closure rates per month are replayed from (graph/findings/flow.py).
MATCH (e:ChangeEvent)
WHERE e.entity_kind = 'Finding' AND (e.change = 'deleted' OR e.fields CONTAINS '"state":')
RETURN e.seq AS seq, e.at AS at, e.entity_key AS key, e.change AS change, e.fields AS fields
ORDER BY seq
