"""Asking the findings: filters, ordering, and one finding's story."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from graph.findings import io, log
from graph.findings.model import ACTIVE, Finding
from graph.gap_rules import SEVERITY_RANK
from graph.stores.base import Store


@dataclass(frozen=True)
class Filters:
    states: tuple[str, ...] = ()
    owner: str = ""
    severity: str = ""
    overdue: bool = False
    due_within_days: int | None = None


def ordered(findings: Iterable[Finding], today: dt.date | None = None) -> list[Finding]:
    """Overdue first, then by severity, then due date, then id."""
    day = today or dt.date.today()
    return sorted(findings, key=lambda f: (not f.overdue(day), SEVERITY_RANK[f.severity],
                                           f.due, f.id))  # fmt: skip


def listed(store: Store, flt: Filters, today: dt.date) -> list[Finding]:
    """The findings the filters select, most urgent first; filtered in the store first."""
    states, before = flt.states, None
    if flt.overdue or flt.due_within_days is not None:
        states = tuple(s for s in (states or tuple(sorted(ACTIVE))) if s in ACTIVE) or ("-",)
        if flt.overdue:
            before = today
        if flt.due_within_days is not None:
            within = today + dt.timedelta(days=flt.due_within_days + 1)
            before = min(before, within) if before else within
    rows = io.matching(store, states, flt.owner, flt.severity, before)
    return select(rows, flt, today)


def select(findings: Iterable[Finding], flt: Filters, today: dt.date) -> list[Finding]:
    out = []
    for f in findings:
        if flt.states and f.state not in flt.states:
            continue
        if (flt.owner and f.assignee != flt.owner) or (flt.severity and f.severity != flt.severity):
            continue
        if flt.overdue and not f.overdue(today):
            continue
        if flt.due_within_days is not None and not (
            f.state in ACTIVE and f.due <= today + dt.timedelta(days=flt.due_within_days)
        ):
            continue
        out.append(f)
    return ordered(out, today)


def story(store: Store, finding_id: str) -> dict[str, Any]:
    """The finding, every event of it (replayed: each step's state, actor, note) and the
    change-log events that resolved it."""
    f = io.get(store, finding_id)
    steps: list[dict[str, Any]] = []
    state: dict[str, Any] = {}
    for e in log.story(store, finding_id):
        if e["change"] == "deleted":  # e.g. the demo's reset; a later event starts afresh
            state = {"transition": "deleted", "state": None}
            steps.append(_step(e, state))
            state = {}
            continue
        state.update({k: v[1] for k, v in e["fields"].items()})
        steps.append(_step(e, state))
    return {"finding": f, "story": steps,
            "resolved_by": log.events_by_seq(store, f.resolved_by_seq)}  # fmt: skip


def _step(event: dict[str, Any], state: dict[str, Any]) -> dict[str, Any]:
    return {"seq": event["seq"], "at": event["at"], "actor": event["actor"],
            "command": event["command"], "transition": state.get("transition"),
            "state": state.get("state"), "assignee": state.get("assignee"),
            "note": state.get("note")}  # fmt: skip
