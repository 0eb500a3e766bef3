// name: cells_of
// params: keys
// The stored coverage cells with these keys.
UNWIND $keys AS k
MATCH (c:CoverageCell {id: k})
RETURN c.id AS id, c.asset AS asset, c.article AS article, c.verdict AS verdict,
       c.weakest_link AS weakest_link, c.freshness AS freshness, c.owners AS owners,
       c.answer AS answer, c.changes_on AS changes_on
