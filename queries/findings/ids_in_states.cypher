// name: ids_in_states
// params: states
// The ids of the findings in one of $states: what a reconcile compares with the current gaps
// (read as one column: at 100k systems there are 1.3M findings).
MATCH (f:Finding)
WHERE f.state IN $states
RETURN f.id AS id
