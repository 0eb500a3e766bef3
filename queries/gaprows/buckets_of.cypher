// name: buckets_of
// params: keys
// The stored buckets of gap rows with these keys ('<query>#<bucket>').
UNWIND $keys AS k
MATCH (g:GapRows {id: k})
RETURN g.id AS id, g.part AS part, g.rows AS rows
