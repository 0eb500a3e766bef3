// name: dataset_without_owner
// params:
// anchor: d:Dataset
// Datasets with no named owner.
MATCH (d:Dataset)
WHERE EXISTS { MATCH (d)-[:OWNED_BY]->(:Owner) } = false
RETURN d.id AS subject, d.name AS name
ORDER BY subject
