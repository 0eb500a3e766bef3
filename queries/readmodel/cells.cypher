// name: cells
// params:
// Every stored coverage cell (the consistency check compares them with a rebuild).
MATCH (c:CoverageCell)
RETURN c.id AS id, c.asset AS asset, c.article AS article, c.verdict AS verdict,
       c.weakest_link AS weakest_link, c.freshness AS freshness, c.owners AS owners,
       c.answer AS answer, c.changes_on AS changes_on
