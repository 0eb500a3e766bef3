// name: owners
// params:
// Every owner with all its properties (review snapshots, inventory hash).
MATCH (o:Owner)
RETURN o.id AS id, o.name AS name, o.email AS email, o.team AS team
ORDER BY id
