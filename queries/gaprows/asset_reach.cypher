// name: asset_reach
// params: keys
// The nodes whose gap rows read these AI systems: the evidence about them, the datasets they
// use and the incidents that involve them (a row shows the system's id, lifecycle, owner and
// SUBJECT_TO dates).
UNWIND $keys AS k
MATCH (a:Asset {id: k})
OPTIONAL MATCH (a)<-[:CONCERNS]-(e:Evidence)
WITH k, a, collect(DISTINCT e.id) AS evidence
OPTIONAL MATCH (a)-[:USES]->(d:Dataset)
WITH k, a, evidence, collect(DISTINCT d.id) AS datasets
OPTIONAL MATCH (a)<-[:INVOLVES]-(i:Incident)
RETURN k AS key, evidence, datasets, collect(DISTINCT i.id) AS incidents
