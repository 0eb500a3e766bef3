// name: incidents
// params: assets
// coverage.incidents for many AI systems at once (asset null: none).
UNWIND $assets AS k
MATCH (a:Asset {id: k})<-[:INVOLVES]-(i:Incident)
WHERE i.severity <> 'not_serious'
RETURN a.id AS asset, i.id AS id, i.severity AS severity, i.aware_on AS aware_on,
       i.reported_on AS reported_on
