// name: mark
// params:
// Up to which change-log event the maintained gap rows are current; no row: there are none.
MATCH (m:GapModelMark {id: 'gaps'})
RETURN m.seq AS seq, m.as_of AS as_of, m.log_max_age_days AS log_max_age_days,
       m.parts AS parts
