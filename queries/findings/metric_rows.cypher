// name: metric_rows
// params:
// What the remediation metrics count, one row per finding (no texts).
MATCH (f:Finding)
RETURN f.id AS id, f.rule AS rule, f.severity AS severity, f.state AS state,
       f.assignee AS assignee, f.due AS due, f.opened_at AS opened_at,
       f.resolved_at AS resolved_at, f.reopen_count AS reopen_count, f.expires AS expires,
       f.approver AS approver
