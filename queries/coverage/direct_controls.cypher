// name: direct_controls
// params: asset, article
// Controls that address the article directly and apply to the AI system (or organisation-wide).
MATCH (r:Article {id: $article})
MATCH (c:Control)-[:ADDRESSES]->(r)
WHERE c.org_wide OR EXISTS { MATCH (c)-[:APPLIES_TO]->(:Asset {id: $asset}) }
OPTIONAL MATCH (c)-[:OWNED_BY]->(o:Owner)
RETURN c.id AS control, c.name AS name, c.status AS status,
       c.review_every_days AS review_every_days, o.id AS owner
ORDER BY control
