// name: risk_tier_contradicts_facts
// params: as_of
// anchor: a:Asset
// AI systems not retired whose stated risk tier contradicts the facts that decide it (Art. 6):
// high-risk with neither an Annex III point nor an Annex I link (so neither its Chapter III date
// nor Arts 27, 49 and 86 can be decided), or limited/minimal while an Annex I link or an Annex III
// point is recorded. kinds: which of an assessment and a registration concerning the system are
// valid on $as_of (an Annex III system is not high-risk under Art. 6(3) only with its assessment
// documented, Art. 6(4), and the system registered, Art. 49(2)).
MATCH (a:Asset)
WHERE a.lifecycle <> 'retired'
  AND ((a.risk_tier = 'high' AND a.annex_iii_area IS NULL AND coalesce(a.annex_i, false) = false)
    OR (a.risk_tier IN ['limited', 'minimal']
        AND (coalesce(a.annex_i, false) = true OR a.annex_iii_area IS NOT NULL)))
OPTIONAL MATCH (a)<-[:CONCERNS]-(e:Evidence)
WHERE e.kind IN ['assessment', 'registration'] AND e.collected_on <= $as_of
  AND (e.valid_until IS NULL OR e.valid_until >= $as_of)
WITH a, collect(DISTINCT e.kind) AS kinds
OPTIONAL MATCH (a)-[:OWNED_BY]->(o:Owner)
RETURN a.id AS subject, a.id AS asset, o.id AS owner, a.name AS name, a.lifecycle AS lifecycle,
       a.risk_tier AS tier, a.annex_i AS annex_i, a.annex_iii_area AS annex_iii_area, kinds
ORDER BY subject
