// name: article_scope
// params: article
// What reaches one article now, for `changes --article`: the controls addressing it directly or
// implementing an ISO clause mapped to it, and the evidence supporting them (via: the control).
MATCH (:Article {id: $article})<-[:ADDRESSES]-(c:Control)
RETURN 'Control' AS kind, c.id AS id, '' AS via
UNION ALL
MATCH (:Article {id: $article})<-[:MAPS_TO]-(:Clause)<-[:IMPLEMENTS]-(c:Control)
RETURN 'Control' AS kind, c.id AS id, '' AS via
UNION ALL
MATCH (:Article {id: $article})<-[:ADDRESSES]-(c:Control)<-[:SUPPORTS]-(e:Evidence)
RETURN 'Evidence' AS kind, e.id AS id, c.id AS via
UNION ALL
MATCH (:Article {id: $article})<-[:MAPS_TO]-(:Clause)<-[:IMPLEMENTS]-(c:Control)<-[:SUPPORTS]-(e:Evidence)
RETURN 'Evidence' AS kind, e.id AS id, c.id AS via
