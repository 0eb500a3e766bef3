// name: row_digests
// params: ids
// Parts of the per-line fingerprints of entity files (keys like evidence#0000), by primary key
// (loaders/inventory/row_prints.py).
UNWIND $ids AS k
MATCH (d:InputRowDigests {id: k})
RETURN d.id AS id, d.entity AS entity, d.seq AS seq, d.kinds AS kinds, d.context AS context,
       d.part AS part, d.parts AS parts, d.lines AS lines, d.ids AS ids, d.derived AS derived
