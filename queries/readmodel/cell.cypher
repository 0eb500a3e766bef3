// name: cell
// params: key, mark
// The read model's day and settings with one coverage cell ('<asset>|<article>'): two
// primary-key lookups, so a coverage answer from the model is one keyed read.
MATCH (m:ReadModelMark {id: $mark})
OPTIONAL MATCH (c:CoverageCell {id: $key})
RETURN m.as_of AS as_of, m.date_reading AS date_reading, c.answer AS answer
