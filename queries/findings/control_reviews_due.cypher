// name: control_reviews_due
// params: periods, owner
// Implemented controls with an owner ($owner '' = any) whose newest evidence, per AI system its
// evidence concerns (and once for organisation-level evidence, asset ''), falls due for review
// in the digest's window. $periods gives, per review period in days, the collection days whose
// review date (collected_on + days) lies in the window: {days, low, high}, from the caller.
UNWIND $periods AS p
MATCH (c:Control)-[:OWNED_BY]->(o:Owner)
WHERE c.review_every_days = p.days AND c.status = 'implemented' AND ($owner = '' OR o.id = $owner)
MATCH (a:Asset)<-[:CONCERNS]-(e:Evidence)-[:SUPPORTS]->(c)
WITH c.id AS control, c.name AS title, o.id AS owner, p.low AS low, p.high AS high,
     c.review_every_days AS days, a.id AS asset, max(e.collected_on) AS newest
WHERE newest >= low AND newest <= high
RETURN control, title, asset, owner, newest, days
UNION ALL
UNWIND $periods AS p
MATCH (c:Control)-[:OWNED_BY]->(o:Owner)
WHERE c.review_every_days = p.days AND c.status = 'implemented' AND ($owner = '' OR o.id = $owner)
MATCH (c)<-[:SUPPORTS_ORG]-(e:Evidence)
WITH c.id AS control, c.name AS title, o.id AS owner, p.low AS low, p.high AS high,
     c.review_every_days AS days, max(e.collected_on) AS newest
WHERE newest >= low AND newest <= high
RETURN control, title, '' AS asset, owner, newest, days
