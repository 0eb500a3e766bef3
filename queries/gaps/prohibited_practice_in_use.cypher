// name: prohibited_practice_in_use
// params: articles, lifecycles
// anchor: a:Asset
// AI systems in the given lifecycle stages classified as a prohibited practice, or with an
// Art. 5(1) practice recorded under any other tier, and SUBJECT_TO one of $articles (Art. 5: in
// the Union's territorial scope, not retired). Two rules read it: systems in production, and
// systems not yet in use (planned or in development, Art. 2(8)).
MATCH (r:Article)
WHERE r.id IN $articles
MATCH (a:Asset)-[s:SUBJECT_TO]->(r)
WHERE a.lifecycle IN $lifecycles
  AND (a.risk_tier = 'prohibited' OR a.prohibited_practice IS NOT NULL)
OPTIONAL MATCH (a)-[:OWNED_BY]->(o:Owner)
RETURN a.id AS subject, a.id AS asset, o.id AS owner, a.lifecycle AS lifecycle,
       a.prohibited_practice AS practice, a.risk_tier AS tier, s.applies_from AS due,
       s.applies_from_literal AS due_literal
ORDER BY subject
