// name: lapsed
// params: today
// The accepted findings whose risk acceptance expired before $today.
MATCH (f:Finding)
WHERE f.state = 'accepted' AND f.expires < $today
RETURN f.id AS id
