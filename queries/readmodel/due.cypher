// name: due
// params: day
// The AI systems with a cell whose answer can change by this day (evidence going stale or
// expiring, an article's date arriving): what a refresh to the day recomputes.
MATCH (c:CoverageCell)
WHERE c.changes_on <= $day
RETURN DISTINCT c.asset AS asset
