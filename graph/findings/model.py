"""The finding record: the ``Finding`` node's properties as a frozen dataclass."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from typing import Any

from graph.gap_rules import RED_LINE

LABEL = "Finding"
MARK_LABEL = "ReconcileMark"
STATES = ("open", "in_progress", "resolved", "verified", "reopened", "accepted", "false_positive")
ACTIVE = frozenset({"open", "in_progress", "reopened"})  # the gap fires and someone must act
CLOSED = frozenset({"resolved", "verified"})  # the graph no longer reports it
# Red-line findings nobody may accept: a prohibited practice in use (Art. 5; critical).
NOT_ACCEPTABLE = frozenset({"critical"})


@dataclass(frozen=True)
class Finding:
    id: str
    rule: str
    severity: str
    subject: str
    state: str
    version: int
    assignee: str
    routed_by: str
    due: dt.date
    due_source: str
    opened_at: dt.date
    asset: str | None = None
    article: str | None = None
    systems: tuple[str, ...] = ()
    title: str = ""
    message: str = ""
    legal_deadline: dt.date | None = None
    resolved_at: dt.date | None = None
    resolved_by_seq: tuple[int, ...] = ()
    resolved_by: tuple[str, ...] = ()
    reopen_count: int = 0
    verified_by: str | None = None
    requested_by: str | None = None
    approver: str | None = None
    justification: str | None = None
    compensating: str | None = None
    expires: dt.date | None = None
    transition: str = "open"
    actor: str = ""
    note: str = ""

    @property
    def red_line(self) -> bool:
        return self.severity in RED_LINE

    def in_force(self, today: dt.date) -> bool:
        """Whether the obligation already applies (as the gap report's ``in_force``): no legal
        date, or one that has come (a readiness gap's application date is still ahead)."""
        return self.legal_deadline is None or self.legal_deadline <= today

    def overdue(self, today: dt.date) -> bool:
        """Still to be acted on and past its due date."""
        return self.state in ACTIVE and self.due < today

    def row(self) -> dict[str, Any]:
        """The node's properties (lists where the schema has lists)."""
        out = {name: getattr(self, name) for name in FIELDS}
        out["systems"] = list(self.systems)
        out["resolved_by_seq"] = [str(s) for s in self.resolved_by_seq]
        out["resolved_by"] = list(self.resolved_by)
        return out

    def to_dict(self, today: dt.date | None = None) -> dict[str, Any]:
        """The JSON shape (dates stay dates; the caller serialises), with ``overdue``."""
        out = self.row()
        out["resolved_by_seq"] = list(self.resolved_by_seq)
        out["overdue"] = self.overdue(today or dt.date.today())
        return out

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Finding:
        values: dict[str, Any] = {name: row.get(name) for name in FIELDS}
        values["systems"] = tuple(row.get("systems") or ())
        values["resolved_by_seq"] = tuple(int(s) for s in row.get("resolved_by_seq") or ())
        values["resolved_by"] = tuple(row.get("resolved_by") or ())
        values["reopen_count"] = int(row.get("reopen_count") or 0)
        for name in ("title", "message", "transition", "actor", "note"):
            values[name] = values[name] or ""
        return cls(**values)


FIELDS = tuple(f.name for f in fields(Finding))
