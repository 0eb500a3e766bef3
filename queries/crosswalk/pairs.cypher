// name: pairs
// params: article, clause
// Crosswalk pairs ISO clause -> AI Act article, '' for any article or clause.
MATCH (c:Clause)-[m:MAPS_TO]->(a:Article)
WHERE ($article = '' OR a.number = $article) AND ($clause = '' OR c.number = $clause)
RETURN c.number AS clause, a.number AS article, m.paragraph AS paragraph, m.relation AS relation,
       m.rationale AS rationale, m.confidence AS confidence, m.source AS source
ORDER BY a.ordinal, m.paragraph, c.sort_key
