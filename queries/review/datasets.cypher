// name: datasets
// params:
// Every dataset with all its properties and its owner (review snapshots, inventory hash).
MATCH (d:Dataset)
OPTIONAL MATCH (d)-[:OWNED_BY]->(o:Owner)
WITH d, collect(o.id) AS owners
RETURN d.id AS id, d.name AS name, d.personal_data AS personal_data,
       d.provenance AS provenance, d.legal_basis AS legal_basis,
       d.jurisdictions AS jurisdictions, owners
ORDER BY id
