// name: next_dates
// params: after, limit
// The next application dates after $after of the pairs of systems not retired (subject_pairs'
// scope), with how many systems and pairs each brings, counted in the engine.
MATCH (a:Asset)-[s:SUBJECT_TO]->(:Article)
WHERE a.lifecycle <> 'retired' AND s.applies_from > $after
RETURN s.applies_from AS date, count(DISTINCT a.id) AS systems, count(*) AS pairs
ORDER BY date
LIMIT $limit
