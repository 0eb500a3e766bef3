// name: incident_candidates
// params: articles
// anchor: i:Incident
// Serious incidents involving an AI system SUBJECT_TO one of $articles (Art. 73), with their
// dates; the caller applies the Art. 73 deadlines.
MATCH (i:Incident)-[:INVOLVES]->(a:Asset)
WHERE i.severity <> 'not_serious'
MATCH (a)-[s:SUBJECT_TO]->(r:Article)
WHERE r.id IN $articles
OPTIONAL MATCH (a)-[:OWNED_BY]->(o:Owner)
RETURN i.id AS subject, a.id AS asset, o.id AS owner, a.lifecycle AS lifecycle,
       i.severity AS severity, i.aware_on AS aware_on, i.reported_on AS reported_on,
       s.applies_from AS due, s.applies_from_literal AS due_literal
ORDER BY subject, asset
