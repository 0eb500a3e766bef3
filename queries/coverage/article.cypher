// name: article
// params: article
// One AI Act article or annex by id (AIA-14, AIA-ANNEX-III).
MATCH (r:Article {id: $article})
RETURN r.id AS id, r.number AS number, r.title AS title, r.kind AS kind, r.binds AS binds,
       r.tiers AS tiers,
       r.applies_from AS applies_from, r.no_counterpart_reason AS no_counterpart_reason,
       r.no_counterpart_paragraphs AS no_counterpart_paragraphs, r.not_standing AS not_standing,
       r.condition AS condition
