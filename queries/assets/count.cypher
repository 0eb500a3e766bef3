// name: count
// params: tier, owner
// How many AI systems not retired pass page's filters (the owner an existence test, not a
// join: 99 -> 16 ms at 100,000 systems).
MATCH (a:Asset)
WHERE coalesce(a.lifecycle, '') <> 'retired'
  AND ($tier = '' OR a.risk_tier = $tier OR ($tier = 'none' AND a.risk_tier IS NULL))
  AND ($owner = '' OR EXISTS { MATCH (a)-[:OWNED_BY]->(w:Owner) WHERE w.id = $owner })
RETURN count(a) AS systems
