// name: asset
// params: asset
// One AI system with its owner.
MATCH (a:Asset {id: $asset})
OPTIONAL MATCH (a)-[:OWNED_BY]->(o:Owner)
RETURN a.id AS id, a.name AS name, a.role AS role, a.risk_tier AS risk_tier,
       a.lifecycle AS lifecycle, a.in_eu AS in_eu, a.annex_i AS annex_i,
       a.annex_iii_area AS annex_iii_area, a.public_body AS public_body,
       a.prohibited_practice AS prohibited_practice, a.transparency_use AS transparency_use,
       a.discovered AS discovered,
       o.id AS owner, o.name AS owner_name
