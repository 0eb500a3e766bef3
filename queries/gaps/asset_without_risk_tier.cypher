// name: asset_without_risk_tier
// params:
// anchor: a:Asset
// AI systems in use or in preparation whose risk tier was never assigned.
MATCH (a:Asset)
WHERE a.lifecycle <> 'retired' AND a.risk_tier IS NULL
OPTIONAL MATCH (a)-[:OWNED_BY]->(o:Owner)
RETURN a.id AS subject, a.id AS asset, o.id AS owner, a.name AS name, a.lifecycle AS lifecycle,
       a.prohibited_practice AS prohibited_practice, a.annex_i AS annex_i,
       a.annex_iii_area AS annex_iii_area, a.transparency_use AS transparency_use
ORDER BY subject
