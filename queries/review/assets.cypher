// name: assets
// params:
// Every AI system with all its properties, its owner and the datasets it uses: the asset part of
// a review snapshot and of the inventory hash. Link lists may hold nulls on some stores.
MATCH (a:Asset)
OPTIONAL MATCH (a)-[:OWNED_BY]->(o:Owner)
WITH a, collect(o.id) AS owners
OPTIONAL MATCH (a)-[:USES]->(d:Dataset)
WITH a, owners, collect(d.id) AS datasets
RETURN a.id AS id, a.name AS name, a.description AS description, a.role AS role,
       a.risk_tier AS risk_tier, a.annex_iii_area AS annex_iii_area, a.annex_i AS annex_i,
       a.prohibited_practice AS prohibited_practice, a.transparency_use AS transparency_use,
       a.lifecycle AS lifecycle, a.in_eu AS in_eu, a.public_body AS public_body,
       a.eu_market AS eu_market, a.eu_deployer AS eu_deployer, a.eu_output AS eu_output,
       a.rebranded_or_modified AS rebranded_or_modified, a.own_use AS own_use,
       a.discovered AS discovered, owners, datasets
ORDER BY id
