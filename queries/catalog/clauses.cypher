// name: clauses
// params: kind
// ISO/IEC 42001 clauses, Annex A objectives and controls in standard order; $kind filters, '' for all.
MATCH (c:Clause)
WHERE $kind = '' OR c.kind = $kind
RETURN c.id AS id, c.number AS number, c.title AS title, c.kind AS kind
ORDER BY c.sort_key
