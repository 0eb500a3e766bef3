// name: subjects
// params: assets
// Per AI system (by key): its facts and owner, and each article it is SUBJECT_TO with the
// edge's reason and dates (article null when none): the coverage.subject rows of its pairs.
UNWIND $assets AS k
MATCH (a:Asset {id: k})
OPTIONAL MATCH (a)-[:OWNED_BY]->(o:Owner)
OPTIONAL MATCH (a)-[s:SUBJECT_TO]->(r:Article)
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
