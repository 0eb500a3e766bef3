// name: count
// params: tier, owner
// How many AI systems not retired pass page's filters.
MATCH (a:Asset)
WHERE coalesce(a.lifecycle, '') <> 'retired'
  AND ($tier = '' OR a.risk_tier = $tier OR ($tier = 'none' AND a.risk_tier IS NULL))
OPTIONAL MATCH (a)-[:OWNED_BY]->(o:Owner)
WITH a, o
WHERE $owner = '' OR o.id = $owner
RETURN count(a) AS systems
