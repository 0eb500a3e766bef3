// name: by_ids
// params: ids
// These findings with every property (ids that are not findings are left out).
UNWIND $ids AS k
MATCH (f:Finding {id: k})
RETURN f.id AS id, f.rule AS rule, f.severity AS severity, f.subject AS subject,
       f.asset AS asset, f.article AS article, f.systems AS systems, f.title AS title,
       f.message AS message, f.state AS state, f.version AS version, f.assignee AS assignee,
       f.routed_by AS routed_by, f.due AS due, f.due_source AS due_source,
       f.legal_deadline AS legal_deadline, f.opened_at AS opened_at,
       f.resolved_at AS resolved_at, f.resolved_by_seq AS resolved_by_seq,
       f.resolved_by AS resolved_by, f.reopen_count AS reopen_count,
       f.verified_by AS verified_by, f.requested_by AS requested_by, f.approver AS approver,
       f.justification AS justification, f.compensating AS compensating,
       f.expires AS expires, f.transition AS transition, f.actor AS actor, f.note AS note
