// name: mark
// params: mark
// The read model's day and settings; no row when there is no read model.
MATCH (m:ReadModelMark {id: $mark})
RETURN m.as_of AS as_of, m.date_reading AS date_reading, m.cells AS cells
