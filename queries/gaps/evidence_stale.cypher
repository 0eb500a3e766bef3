// name: evidence_stale
// params: periods
// For each implemented control and each AI system its evidence concerns (or none), the newest
// evidence when it is older than the control's review period. $periods lists each review period
// in days with its cutoff date ({days, cutoff}), computed by the caller. One pass each: the
// systems' evidence reached from the systems, organisation-level evidence through SUPPORTS_ORG;
// the newest items are carried out of the aggregation (grouped by id), never re-found.
UNWIND $periods AS p
MATCH (c:Control)
WHERE c.review_every_days = p.days AND c.status = 'implemented'
MATCH (a:Asset)<-[:CONCERNS]-(e:Evidence)-[:SUPPORTS]->(c)
WITH c.id AS control, p.cutoff AS cutoff, a.id AS asset, max(e.collected_on) AS newest,
     collect({id: e.id, day: e.collected_on}) AS items
WHERE newest < cutoff
UNWIND items AS item
WITH control, asset, newest, item
WHERE item.day = newest
MATCH (c:Control {id: control})
OPTIONAL MATCH (c)-[:OWNED_BY]->(o:Owner)
RETURN item.id AS subject, control, asset, o.id AS owner, newest, c.review_every_days AS days
UNION ALL
UNWIND $periods AS p
MATCH (c:Control)
WHERE c.review_every_days = p.days AND c.status = 'implemented'
MATCH (c)<-[:SUPPORTS_ORG]-(e:Evidence)
WITH c.id AS control, p.cutoff AS cutoff, max(e.collected_on) AS newest,
     collect({id: e.id, day: e.collected_on}) AS items
WHERE newest < cutoff
UNWIND items AS item
WITH control, newest, item
WHERE item.day = newest
MATCH (c:Control {id: control})
OPTIONAL MATCH (c)-[:OWNED_BY]->(o:Owner)
RETURN item.id AS subject, control, '' AS asset, o.id AS owner, newest, c.review_every_days AS days
