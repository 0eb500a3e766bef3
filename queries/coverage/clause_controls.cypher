// name: clause_controls
// params: asset, article
// ISO clauses mapped to the article, with the controls implementing each that apply to the AI
// system (or organisation-wide); control is null where no such control exists.
MATCH (r:Article {id: $article})
MATCH (k:Clause)-[m:MAPS_TO]->(r)
OPTIONAL MATCH (c:Control)-[:IMPLEMENTS]->(k)
WHERE c.org_wide OR EXISTS { MATCH (c)-[:APPLIES_TO]->(:Asset {id: $asset}) }
OPTIONAL MATCH (c)-[:OWNED_BY]->(o:Owner)
RETURN k.number AS clause, k.title AS clause_title, m.relation AS relation,
       m.paragraph AS paragraph, m.rationale AS rationale, c.id AS control, c.name AS name,
       c.status AS status, c.review_every_days AS review_every_days, o.id AS owner
ORDER BY clause, paragraph, control
