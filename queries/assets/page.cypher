// name: page
// params: tier, owner, offset, limit
// One page (by id) of the AI systems not retired, with list's filters ('' for any): the
// heatmap's rows, paged in the engine instead of reading every system for 40 of them.
MATCH (a:Asset)
WHERE coalesce(a.lifecycle, '') <> 'retired'
  AND ($tier = '' OR a.risk_tier = $tier OR ($tier = 'none' AND a.risk_tier IS NULL))
OPTIONAL MATCH (a)-[:OWNED_BY]->(o:Owner)
WITH a, o
WHERE $owner = '' OR o.id = $owner
RETURN a.id AS id, a.name AS name, a.risk_tier AS risk_tier, o.id AS owner
ORDER BY id
SKIP $offset
LIMIT $limit
