// name: paths
// params: articles
// Every control on a path to these articles, whatever system it applies to (org_wide says
// whether it applies to all): direct ones (clause '') and, per ISO clause mapped to the
// article, the controls implementing it (control null where none does). The caller keeps,
// per system, the ones coverage.controls would return for it.
UNWIND $articles AS k
MATCH (r:Article {id: k})
OPTIONAL MATCH (r)<-[:ADDRESSES]-(c:Control)
OPTIONAL MATCH (c)-[:OWNED_BY]->(o:Owner)
RETURN r.id AS article, '' AS clause_id, '' AS clause, '' AS clause_title, '' AS relation,
       '' AS paragraph, '' AS rationale, c.id AS control, c.name AS name, c.status AS status,
       c.review_every_days AS review_every_days, o.id AS owner, c.org_wide AS org_wide
UNION ALL
UNWIND $articles AS k
MATCH (r:Article {id: k})
OPTIONAL MATCH (r)<-[m:MAPS_TO]-(x:Clause)
OPTIONAL MATCH (x)<-[:IMPLEMENTS]-(c:Control)
OPTIONAL MATCH (c)-[:OWNED_BY]->(o:Owner)
RETURN r.id AS article, x.id AS clause_id, x.number AS clause, x.title AS clause_title,
       m.relation AS relation, m.paragraph AS paragraph, m.rationale AS rationale,
       c.id AS control, c.name AS name, c.status AS status,
       c.review_every_days AS review_every_days, o.id AS owner, c.org_wide AS org_wide
