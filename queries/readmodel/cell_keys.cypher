// name: cell_keys
// params:
// The key of every stored coverage cell (the consistency check looks for cells no pair has).
MATCH (c:CoverageCell)
RETURN c.id AS id
