// name: dataset_without_provenance
// params: articles, gdpr_from
// anchor: d:Dataset
// Datasets without provenance, or holding personal data without a recorded legal basis, used by
// an AI system SUBJECT_TO one of $articles (Art. 10); one row per dataset and system, each with
// that system's date (an Annex I product's is its own). Personal data without a legal basis is
// dated $gdpr_from instead: GDPR Art. 6 binds the processing whatever the AI Act's date.
MATCH (r:Article)
WHERE r.id IN $articles
MATCH (a:Asset)-[s:SUBJECT_TO]->(r)
MATCH (a)-[:USES]->(d:Dataset)
WHERE d.provenance IS NULL OR (d.personal_data AND d.legal_basis IS NULL)
OPTIONAL MATCH (d)-[:OWNED_BY]->(o:Owner)
WITH d, a, s, o, d.personal_data = true AND d.legal_basis IS NULL AS no_legal_basis
RETURN d.id AS subject, a.id AS system, o.id AS owner, a.lifecycle AS lifecycle,
       d.provenance IS NULL AS no_provenance, d.personal_data AS personal_data, no_legal_basis,
       CASE WHEN no_legal_basis THEN $gdpr_from ELSE s.applies_from END AS due,
       CASE WHEN no_legal_basis THEN $gdpr_from ELSE s.applies_from_literal END AS due_literal
ORDER BY subject, system
