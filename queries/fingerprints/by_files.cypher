// name: by_files
// params: keys
// The stored fingerprints of these input files (absolute paths), by primary key
// (loaders/inventory/fingerprints.py).
UNWIND $keys AS k
MATCH (f:InputFingerprint {id: k})
RETURN f.id AS id, f.digest AS digest, f.seq AS seq, f.kinds AS kinds, f.rows AS rows,
       f.derived AS derived
