// name: mark
// params:
// The change-log seq the last reconcile had seen (none before the first reconcile).
MATCH (m:ReconcileMark {id: 'findings'})
RETURN m.seq AS seq, m.as_of AS as_of
