// name: prohibited_practice_in_use
// params:
// AI systems classified as a prohibited practice (Art. 5) that are not retired.
MATCH (a:Asset)
WHERE a.risk_tier = 'prohibited' AND a.lifecycle <> 'retired'
OPTIONAL MATCH (a)-[:OWNED_BY]->(o:Owner)
RETURN a.id AS subject, a.id AS asset, o.id AS owner, a.prohibited_practice AS practice,
       a.lifecycle AS lifecycle
ORDER BY subject
