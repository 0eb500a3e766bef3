// name: list
// params: tier, owner, lifecycle
// AI systems with their owner; each filter is '' for any ($tier 'none' = no tier assigned).
MATCH (a:Asset)
WHERE ($tier = '' OR a.risk_tier = $tier OR ($tier = 'none' AND a.risk_tier IS NULL))
  AND ($lifecycle = '' OR a.lifecycle = $lifecycle)
OPTIONAL MATCH (a)-[:OWNED_BY]->(o:Owner)
WITH a, o
WHERE $owner = '' OR o.id = $owner
RETURN a.id AS id, a.name AS name, a.role AS role, a.risk_tier AS risk_tier,
       a.lifecycle AS lifecycle, a.annex_iii_area AS annex_iii_area, a.annex_i AS annex_i,
       a.public_body AS public_body, a.discovered AS discovered, a.in_eu AS in_eu,
       o.id AS owner
ORDER BY id
