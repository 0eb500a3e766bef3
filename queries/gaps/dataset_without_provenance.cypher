// name: dataset_without_provenance
// params: articles
// anchor: d:Dataset
// Datasets without provenance, or holding personal data without a recorded legal basis, used by
// an AI system SUBJECT_TO one of $articles (Art. 10); one row per dataset and system, each with
// that system's date (an Annex I product's is its own).
MATCH (r:Article)
WHERE r.id IN $articles
MATCH (a:Asset)-[s:SUBJECT_TO]->(r)
MATCH (a)-[:USES]->(d:Dataset)
WHERE d.provenance IS NULL OR (d.personal_data AND d.legal_basis IS NULL)
OPTIONAL MATCH (d)-[:OWNED_BY]->(o:Owner)
RETURN d.id AS subject, a.id AS system, o.id AS owner, a.lifecycle AS lifecycle,
       d.provenance IS NULL AS no_provenance, d.personal_data AS personal_data,
       s.applies_from AS due, s.applies_from_literal AS due_literal
ORDER BY subject, system
