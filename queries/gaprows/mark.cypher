// name: mark
// params:
// Up to which change-log event the maintained gap rows are current; no row: there are none.
MATCH (m:GapModelMark {id: 'gaps'})
RETURN m.seq AS seq, m.parts AS parts
