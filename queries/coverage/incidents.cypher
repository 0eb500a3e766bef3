// name: incidents
// params: asset
// The serious incidents involving one AI system, with the dates Art. 73's clock runs on: the
// incidents side of "what covers Article 73 for system Y" (graph/incident_clock.py).
MATCH (a:Asset {id: $asset})<-[:INVOLVES]-(i:Incident)
WHERE i.severity <> 'not_serious'
RETURN i.id AS id, i.severity AS severity, i.aware_on AS aware_on, i.reported_on AS reported_on
ORDER BY id
