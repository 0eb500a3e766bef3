// name: dataset_without_provenance
// params:
// Datasets used by a high-risk AI system (not retired) without provenance, or holding personal
// data without a recorded legal basis.
MATCH (d:Dataset)
WHERE (d.provenance IS NULL OR (d.personal_data AND d.legal_basis IS NULL))
  AND EXISTS {
    MATCH (d)<-[:USES]-(a:Asset) WHERE a.risk_tier = 'high' AND a.lifecycle <> 'retired'
  }
OPTIONAL MATCH (d)-[:OWNED_BY]->(o:Owner)
RETURN d.id AS subject, o.id AS owner, d.provenance IS NULL AS no_provenance,
       d.personal_data AS personal_data
ORDER BY subject
