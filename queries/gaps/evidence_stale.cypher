// name: evidence_stale
// params: periods
// For each implemented control and each AI system its evidence concerns (or none), the newest
// evidence when it is older than the control's review period. $periods lists each review period
// in days with its cutoff date ({days, cutoff}), computed by the caller.
UNWIND $periods AS p
MATCH (c:Control)
WHERE c.review_every_days = p.days AND c.status = 'implemented'
MATCH (c)<-[:SUPPORTS]-(e:Evidence)
OPTIONAL MATCH (e)-[:CONCERNS]->(a:Asset)
WITH c, p, coalesce(a.id, '') AS asset, max(e.collected_on) AS newest
WHERE newest < p.cutoff
MATCH (c)<-[:SUPPORTS]-(e:Evidence)
WHERE e.collected_on = newest
OPTIONAL MATCH (e)-[:CONCERNS]->(a2:Asset)
WITH c, asset, newest, e, coalesce(a2.id, '') AS concerns
WHERE concerns = asset
OPTIONAL MATCH (c)-[:OWNED_BY]->(o:Owner)
RETURN e.id AS subject, c.id AS control, asset, o.id AS owner, newest,
       c.review_every_days AS days
ORDER BY subject, control, asset
