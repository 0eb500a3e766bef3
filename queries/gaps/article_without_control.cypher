// name: article_without_control
// params:
// anchor: a:Asset
// Articles an AI system is subject to that no implemented control addresses, neither directly
// nor through an ISO clause mapped to the article with a coverage claim (not `related`).
// Organisation-wide controls (no applies_to) apply to every system, so they are checked once per
// article; only articles no such control covers are checked per SUBJECT_TO edge, against the
// controls scoped to the system.
MATCH (r:Article)
WHERE EXISTS {
    MATCH (c:Control)-[:ADDRESSES]->(r) WHERE c.status = 'implemented' AND c.org_wide
  } = false
  AND EXISTS {
    MATCH (c:Control)-[:IMPLEMENTS]->(:Clause)-[m:MAPS_TO]->(r)
    WHERE c.status = 'implemented' AND c.org_wide AND m.relation <> 'related'
  } = false
MATCH (a:Asset)-[s:SUBJECT_TO]->(r)
WHERE a.lifecycle <> 'retired'
  AND EXISTS {
    MATCH (c:Control)-[:ADDRESSES]->(r)
    WHERE c.status = 'implemented' AND EXISTS { MATCH (c)-[:APPLIES_TO]->(a) }
  } = false
  AND EXISTS {
    MATCH (c:Control)-[:IMPLEMENTS]->(:Clause)-[m:MAPS_TO]->(r)
    WHERE c.status = 'implemented' AND m.relation <> 'related'
      AND EXISTS { MATCH (c)-[:APPLIES_TO]->(a) }
  } = false
OPTIONAL MATCH (a)-[:OWNED_BY]->(o:Owner)
RETURN a.id + ':' + r.id AS subject, a.id AS asset, a.lifecycle AS lifecycle, r.id AS article_id,
       r.number AS article, r.title AS title, o.id AS owner, s.applies_from AS due,
       s.applies_from_literal AS due_literal
ORDER BY asset, r.ordinal
