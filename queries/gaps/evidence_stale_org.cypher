// name: evidence_stale_org
// params: periods
// anchor: c:Control
// evidence_stale for organisation-level evidence (no system): per implemented control, its newest
// evidence through the derived SUPPORTS_ORG edge when older than the control's review period.
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
