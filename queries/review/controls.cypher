// name: controls
// params:
// Every control with all its properties, its owner, the ISO elements it implements, the articles
// it addresses and the AI systems it applies to (review snapshots, inventory hash).
MATCH (c:Control)
OPTIONAL MATCH (c)-[:OWNED_BY]->(o:Owner)
WITH c, collect(o.id) AS owners
OPTIONAL MATCH (c)-[:IMPLEMENTS]->(k:Clause)
WITH c, owners, collect(k.id) AS implements
OPTIONAL MATCH (c)-[:ADDRESSES]->(r:Article)
WITH c, owners, implements, collect(r.id) AS addresses
OPTIONAL MATCH (c)-[:APPLIES_TO]->(a:Asset)
WITH c, owners, implements, addresses, collect(a.id) AS applies_to
RETURN c.id AS id, c.name AS name, c.description AS description, c.status AS status,
       c.review_every_days AS review_every_days, c.org_wide AS org_wide, owners, implements,
       addresses, applies_to
ORDER BY id
