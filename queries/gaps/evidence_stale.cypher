// name: evidence_stale
// params: periods
// anchor: a:Asset
// For each implemented control and each AI system whose evidence supports it, the newest such
// evidence when it is older than the control's review period. $periods lists each review period
// in days with its cutoff date ({days, cutoff}), computed by the caller. The systems' evidence is
// reached from the systems; the newest items are carried out of the aggregation (grouped by id),
// never re-found. A retired system's evidence needs no renewing (it is exempt from gap rules).
// Organisation-level evidence: evidence_stale_org (the rule runs both).
UNWIND $periods AS p
MATCH (c:Control)
WHERE c.review_every_days = p.days AND c.status = 'implemented'
MATCH (a:Asset)<-[:CONCERNS]-(e:Evidence)-[:SUPPORTS]->(c)
WHERE a.lifecycle <> 'retired'
WITH c.id AS control, p.cutoff AS cutoff, a.id AS asset, max(e.collected_on) AS newest,
     collect({id: e.id, day: e.collected_on}) AS items
WHERE newest < cutoff
UNWIND items AS item
WITH control, asset, newest, item
WHERE item.day = newest
MATCH (c:Control {id: control})
OPTIONAL MATCH (c)-[:OWNED_BY]->(o:Owner)
RETURN item.id AS subject, control, asset, o.id AS owner, newest, c.review_every_days AS days
