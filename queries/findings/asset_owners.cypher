// name: asset_owners
// params: ids
// The owner of each of these AI systems, where one is named (routing's second choice).
UNWIND $ids AS k
MATCH (a:Asset {id: k})
MATCH (a)-[:OWNED_BY]->(o:Owner)
RETURN a.id AS asset, o.id AS owner
