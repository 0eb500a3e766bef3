// name: incidents
// params: ids
// Severity and awareness date of these incidents: the Art. 73 notification clock starts there.
UNWIND $ids AS k
MATCH (i:Incident {id: k})
RETURN i.id AS id, i.severity AS severity, i.aware_on AS aware_on
