// name: set_file_status
// params: rows
// Record the outcome of `evidence verify` ($rows: {id, status, checked_on}) on each item.
UNWIND $rows AS r
WITH r.id AS k, r AS r
MATCH (e:Evidence {id: k})
SET e.file_status = r.status, e.file_checked_on = r.checked_on
RETURN count(e) AS n
