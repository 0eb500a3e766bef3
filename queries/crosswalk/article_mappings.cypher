// name: article_mappings
// params:
// Every AI Act article and annex with its crosswalk relations (empty when ISO has no counterpart).
MATCH (a:Article)
OPTIONAL MATCH (:Clause)-[m:MAPS_TO]->(a)
WITH a, collect(m.relation) AS relations
RETURN a.id AS id, a.number AS number, a.kind AS kind, a.title AS title, a.chapter AS chapter,
       a.binds AS binds, a.tiers AS tiers, a.no_counterpart_reason AS no_counterpart_reason,
       a.no_counterpart_paragraphs AS no_counterpart_paragraphs, relations
ORDER BY a.ordinal
