// name: article_without_control
// params:
// Articles an AI system is subject to that no implemented control addresses, neither directly
// nor through an ISO clause mapped to the article with a coverage claim (not `related`).
// Organisation-wide controls (no applies_to) apply to every system.
MATCH (a:Asset)-[s:SUBJECT_TO]->(r:Article)
WHERE a.lifecycle <> 'retired'
  AND EXISTS {
    MATCH (c:Control)-[:ADDRESSES]->(r)
    WHERE c.status = 'implemented' AND (c.org_wide OR EXISTS { MATCH (c)-[:APPLIES_TO]->(a) })
  } = false
  AND EXISTS {
    MATCH (c:Control)-[:IMPLEMENTS]->(:Clause)-[m:MAPS_TO]->(r)
    WHERE c.status = 'implemented' AND m.relation <> 'related'
      AND (c.org_wide OR EXISTS { MATCH (c)-[:APPLIES_TO]->(a) })
  } = false
OPTIONAL MATCH (a)-[:OWNED_BY]->(o:Owner)
RETURN a.id + ':' + r.id AS subject, a.id AS asset, r.number AS article, r.title AS title,
       o.id AS owner, s.applies_from AS due
ORDER BY asset, r.ordinal
