// name: evidence_stale
// params: periods
// For each implemented control and each AI system its evidence concerns (or none), the newest
// evidence when it is older than the control's review period. $periods lists each review period
// in days with its cutoff date ({days, cutoff}), computed by the caller. One pass over the
// control's SUPPORTS edges: the newest items are carried out of the aggregation, never re-found.
UNWIND $periods AS p
MATCH (c:Control)
WHERE c.review_every_days = p.days AND c.status = 'implemented'
MATCH (c)<-[:SUPPORTS]-(e:Evidence)
OPTIONAL MATCH (e)-[:CONCERNS]->(a:Asset)
WITH c, p, coalesce(a.id, '') AS asset, max(e.collected_on) AS newest,
     collect({id: e.id, day: e.collected_on}) AS items
WHERE newest < p.cutoff
UNWIND items AS item
WITH c, asset, newest, item
WHERE item.day = newest
OPTIONAL MATCH (c)-[:OWNED_BY]->(o:Owner)
RETURN item.id AS subject, c.id AS control, asset, o.id AS owner, newest,
       c.review_every_days AS days
ORDER BY subject, control, asset
