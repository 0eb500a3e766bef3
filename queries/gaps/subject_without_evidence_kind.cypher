// name: subject_without_evidence_kind
// params: article, kind
// AI systems (not retired) subject to the article $article with no evidence of kind $kind
// concerning them (e.g. Art. 49 without a registration, Art. 27 without a FRIA).
MATCH (a:Asset)-[s:SUBJECT_TO]->(:Article {id: $article})
WHERE a.lifecycle <> 'retired'
  AND EXISTS { MATCH (a)<-[:CONCERNS]-(e:Evidence) WHERE e.kind = $kind } = false
OPTIONAL MATCH (a)-[:OWNED_BY]->(o:Owner)
RETURN a.id AS subject, a.id AS asset, o.id AS owner, s.applies_from AS due
ORDER BY subject
