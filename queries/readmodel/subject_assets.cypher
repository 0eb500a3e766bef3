// name: subject_assets
// params:
// Every AI system with at least one SUBJECT_TO edge: the systems that have cells, in key
// order (a rebuild and the consistency check walk them in chunks).
MATCH (a:Asset)
WHERE EXISTS { MATCH (a)-[:SUBJECT_TO]->(:Article) }
RETURN a.id AS asset
ORDER BY asset
