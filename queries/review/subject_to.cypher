// name: subject_to
// params: asset
// Every derived SUBJECT_TO edge (of one AI system, or of all with asset = ''): the article, its
// chapter and the date it applies from for that system. Feeds `applies`, coverage per chapter
// and the inventory hash.
MATCH (a:Asset)-[s:SUBJECT_TO]->(r:Article)
WHERE $asset = '' OR a.id = $asset
RETURN a.id AS asset, r.id AS article, r.number AS number, r.title AS title,
       r.chapter AS chapter, r.ordinal AS ordinal, s.reason AS reason,
       s.applies_from AS applies_from, s.applies_from_literal AS applies_from_literal
ORDER BY asset, r.ordinal
