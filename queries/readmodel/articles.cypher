// name: articles
// params: articles
// The coverage.article rows of these articles (by key).
UNWIND $articles AS k
MATCH (r:Article {id: k})
RETURN r.id AS id, r.number AS number, r.title AS title, r.kind AS kind, r.binds AS binds,
       r.tiers AS tiers,
       r.applies_from AS applies_from, r.no_counterpart_reason AS no_counterpart_reason,
       r.no_counterpart_paragraphs AS no_counterpart_paragraphs, r.not_standing AS not_standing,
       r.condition AS condition
