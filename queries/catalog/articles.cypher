// name: articles
// params: chapter
// AI Act articles and annexes in official order; $chapter (a roman numeral) filters, '' for all.
MATCH (a:Article)
WHERE $chapter = '' OR a.chapter = $chapter
RETURN a.id AS id, a.number AS number, a.kind AS kind, a.title AS title, a.chapter AS chapter,
       a.section AS section, a.binds AS binds, a.tiers AS tiers, a.applies_from AS applies_from,
       a.applies_from_original AS applies_from_original,
       a.applies_from_annex_i AS applies_from_annex_i,
       a.applies_from_annex_i_original AS applies_from_annex_i_original,
       a.date_basis AS date_basis, a.no_counterpart_reason AS no_counterpart_reason,
       a.no_counterpart_paragraphs AS no_counterpart_paragraphs
ORDER BY a.ordinal
