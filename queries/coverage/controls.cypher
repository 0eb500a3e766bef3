// name: controls
// params: asset, article
// The controls on every path to the article that apply to the AI system (or organisation-wide):
// those addressing it directly (clause '') and, per ISO clause mapped to it, those implementing
// the clause (control null where none does). Unordered: the caller sorts.
MATCH (r:Article {id: $article})<-[:ADDRESSES]-(c:Control)
WHERE c.org_wide OR EXISTS { MATCH (c)-[:APPLIES_TO]->(:Asset {id: $asset}) }
OPTIONAL MATCH (c)-[:OWNED_BY]->(o:Owner)
RETURN '' AS clause, '' AS clause_title, '' AS relation, '' AS paragraph, '' AS rationale,
       c.id AS control, c.name AS name, c.status AS status,
       c.review_every_days AS review_every_days, o.id AS owner
UNION ALL
MATCH (r:Article {id: $article})<-[m:MAPS_TO]-(k:Clause)
OPTIONAL MATCH (k)<-[:IMPLEMENTS]-(c:Control)
WHERE c.org_wide OR EXISTS { MATCH (c)-[:APPLIES_TO]->(:Asset {id: $asset}) }
OPTIONAL MATCH (c)-[:OWNED_BY]->(o:Owner)
RETURN k.number AS clause, k.title AS clause_title, m.relation AS relation,
       m.paragraph AS paragraph, m.rationale AS rationale,
       c.id AS control, c.name AS name, c.status AS status,
       c.review_every_days AS review_every_days, o.id AS owner
