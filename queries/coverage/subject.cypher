// name: subject
// params: asset, article
// One AI system with its owner, and why and from when it is subject to one article (reason, applies_from and
// subject_to are null when it is not): the asset's side of "what covers Article X for system Y".
MATCH (a:Asset {id: $asset})
OPTIONAL MATCH (a)-[:OWNED_BY]->(o:Owner)
OPTIONAL MATCH (a)-[s:SUBJECT_TO]->(r:Article {id: $article})
RETURN a.id AS id, a.name AS name, a.role AS role, a.risk_tier AS risk_tier,
       a.lifecycle AS lifecycle, a.in_eu AS in_eu, a.annex_i AS annex_i,
       a.annex_iii_area AS annex_iii_area, a.public_body AS public_body,
       a.prohibited_practice AS prohibited_practice, a.transparency_use AS transparency_use,
       a.discovered AS discovered, a.eu_market AS eu_market, a.eu_deployer AS eu_deployer,
       a.eu_output AS eu_output, a.rebranded_or_modified AS rebranded_or_modified,
       a.own_use AS own_use,
       o.id AS owner, o.name AS owner_name, s.reason AS reason,
       s.applies_from AS applies_from, s.applies_from_literal AS applies_from_literal,
       r.id AS subject_to
