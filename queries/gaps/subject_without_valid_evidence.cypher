// name: subject_without_valid_evidence
// params: articles, lifecycles, kind, as_of
// anchor: a:Asset
// AI systems in the given lifecycle stages that are SUBJECT_TO one of $articles (the edges
// coverage and trace use) with no evidence of kind $kind valid on $as_of (collected on or before
// it, not past its valid_until), e.g. Art. 27 without a FRIA. expired_on is the last valid_until
// of the items that have expired, so "FRIA expired on ..." can be said; null when there are none;
// expired lists those items (their own "evidence expired" finding is then folded into this one);
// area is the Annex III point (area 2 registers nationally, Art. 49(5)).
MATCH (r:Article)
WHERE r.id IN $articles
MATCH (a:Asset)-[s:SUBJECT_TO]->(r)
WHERE a.lifecycle IN $lifecycles
WITH a, min(s.applies_from) AS due, min(s.applies_from_literal) AS due_literal
WHERE EXISTS {
    MATCH (a)<-[:CONCERNS]-(e:Evidence)
    WHERE e.kind = $kind AND e.collected_on <= $as_of
      AND (e.valid_until IS NULL OR e.valid_until >= $as_of)
  } = false
OPTIONAL MATCH (a)<-[:CONCERNS]-(x:Evidence)
WHERE x.kind = $kind AND x.valid_until < $as_of
WITH a, due, due_literal, max(x.valid_until) AS expired_on, collect(DISTINCT x.id) AS expired
OPTIONAL MATCH (a)-[:OWNED_BY]->(o:Owner)
RETURN a.id AS subject, a.id AS asset, o.id AS owner, a.lifecycle AS lifecycle, due,
       due_literal, expired_on, expired, a.annex_iii_area AS area
ORDER BY subject
