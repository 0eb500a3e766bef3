// name: buckets
// params:
// Every stored bucket of gap rows (the whole maintained report).
MATCH (g:GapRows)
RETURN g.id AS id, g.part AS part, g.rows AS rows
