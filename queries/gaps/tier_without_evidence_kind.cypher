// name: tier_without_evidence_kind
// params: tiers, roles, lifecycles, kind
// AI systems of the given tiers, roles and lifecycle stages with no evidence of kind $kind
// concerning them (e.g. high-risk systems without oversight records).
MATCH (a:Asset)
WHERE a.risk_tier IN $tiers AND a.role IN $roles AND a.lifecycle IN $lifecycles
  AND EXISTS { MATCH (a)<-[:CONCERNS]-(e:Evidence) WHERE e.kind = $kind } = false
OPTIONAL MATCH (a)-[:OWNED_BY]->(o:Owner)
RETURN a.id AS subject, a.id AS asset, o.id AS owner, a.annex_i AS annex_i
ORDER BY subject
