// name: page
// params: tier, owner, offset, limit
// One page (by id) of the AI systems not retired, with list's filters ('' for any): the
// heatmap's rows, paged in the engine instead of reading every system for 40 of them. The
// owner filter is an existence test and the owner is joined after the page, so the sort and
// skip see the systems alone (119 -> 39 ms at 100,000 systems).
MATCH (a:Asset)
WHERE coalesce(a.lifecycle, '') <> 'retired'
  AND ($tier = '' OR a.risk_tier = $tier OR ($tier = 'none' AND a.risk_tier IS NULL))
  AND ($owner = '' OR EXISTS { MATCH (a)-[:OWNED_BY]->(w:Owner) WHERE w.id = $owner })
WITH a
ORDER BY a.id
SKIP $offset
LIMIT $limit
OPTIONAL MATCH (a)-[:OWNED_BY]->(o:Owner)
RETURN a.id AS id, a.name AS name, a.risk_tier AS risk_tier, o.id AS owner
ORDER BY id
