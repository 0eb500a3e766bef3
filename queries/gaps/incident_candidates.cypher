// name: incident_candidates
// params:
// Serious incidents with their dates; the caller applies the Art. 73 deadlines.
MATCH (i:Incident)-[:INVOLVES]->(a:Asset)
WHERE i.severity <> 'not_serious'
OPTIONAL MATCH (a)-[:OWNED_BY]->(o:Owner)
RETURN i.id AS subject, a.id AS asset, o.id AS owner, i.severity AS severity,
       i.aware_on AS aware_on, i.reported_on AS reported_on, a.annex_i AS annex_i
ORDER BY subject, asset
