// name: incident_reach
// params: keys
// The AI systems these incidents involve: whose Art. 73 coverage they enter.
UNWIND $keys AS k
MATCH (i:Incident {id: k})-[:INVOLVES]->(a:Asset)
RETURN a.id AS asset
