// name: states
// params:
// Every finding's id, state, version and acceptance expiry: what a reconcile compares.
MATCH (f:Finding)
RETURN f.id AS id, f.state AS state, f.version AS version, f.expires AS expires
