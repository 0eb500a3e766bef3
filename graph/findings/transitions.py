"""The transitions people make, and their rules (docs/remediation.md).

* ``start``: open/reopened → in_progress; the assignee, or an analyst.
* ``reassign``: open, in_progress, reopened or accepted, to a new assignee; the assignee, or an
  analyst.
* ``verify``: resolved → verified; an approver who is neither the assignee nor an actor of the
  resolving change; a note.
* ``accept``: open, in_progress, reopened → accepted, never a critical one; an approver other
  than the requester; justification, compensating controls, an expiry within the maximum.
* ``false_positive``: open, in_progress, reopened → false_positive; an approver; justification.

Only the graph resolves, reopens or reactivates (graph/findings/reconcile.py). Every transition
names the version it saw; the write is refused when the stored version differs (StaleFinding).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from graph.audit.events import Source, current_source, new_batch_id
from graph.errors import StaleWrite
from graph.findings import io
from graph.findings.errors import StaleFinding, TransitionForbidden, TransitionRefused
from graph.findings.model import ACTIVE, NOT_ACCEPTABLE, Finding
from graph.settings import FindingsSettings
from graph.stores.base import Store

# API key roles, least first (api/auth.py uses this order): the CLI acts as admin (local).
ROLES = ("reader", "analyst", "editor", "approver", "admin")
RANK = {r: i for i, r in enumerate(ROLES)}


@dataclass(frozen=True)
class Request:
    """One transition as asked: who, with which role, having seen which version, and why."""

    actor: str
    role: str = "admin"
    version: int | None = None  # None: the version read now (the CLI's default)
    note: str = ""
    assignee: str = ""
    justification: str = ""
    compensating: str = ""
    expires: dt.date | None = None
    requested_by: str = ""


Rule = Callable[[Finding, Request, dt.date, FindingsSettings], dict[str, Any]]


def _need(req: Request, role: str, what: str) -> None:
    if RANK.get(req.role, -1) < RANK[role]:
        raise TransitionForbidden(f"{what} needs the {role} role; {req.actor!r} is {req.role}")


def _start(f: Finding, req: Request, today: dt.date, p: FindingsSettings) -> dict[str, Any]:
    if req.actor != f.assignee:
        _need(req, "analyst", f"starting a finding assigned to {f.assignee!r}")
    return {"state": "in_progress"}


def _reassign(f: Finding, req: Request, today: dt.date, p: FindingsSettings) -> dict[str, Any]:
    if req.actor != f.assignee:
        _need(req, "analyst", f"reassigning a finding assigned to {f.assignee!r}")
    if not req.assignee.strip():
        raise TransitionRefused("reassign needs the new assignee")
    return {"assignee": req.assignee.strip(), "routed_by": "reassigned"}


def _verify(f: Finding, req: Request, today: dt.date, p: FindingsSettings) -> dict[str, Any]:
    _need(req, "approver", "verifying")
    if req.actor == f.assignee:
        raise TransitionForbidden(f"{req.actor!r} is the assignee and cannot verify their own fix")
    if req.actor in f.resolved_by:
        raise TransitionForbidden(
            f"{req.actor!r} made the change that resolved it and cannot verify their own fix"
        )
    if not req.note.strip():
        raise TransitionRefused("verify needs a note: what was checked")
    return {"state": "verified", "verified_by": req.actor}


def _accept(f: Finding, req: Request, today: dt.date, p: FindingsSettings) -> dict[str, Any]:
    if f.severity in NOT_ACCEPTABLE:
        raise TransitionRefused(
            f"{f.id} is a red line ({f.severity}: {f.title}); a prohibited practice in use "
            "cannot be risk-accepted: stop the system"
        )
    _need(req, "approver", "accepting a risk")
    requester = req.requested_by.strip() or f.assignee
    if requester == req.actor:
        raise TransitionForbidden(f"{req.actor!r} requested the acceptance and cannot approve it")
    if not req.justification.strip() or not req.compensating.strip():
        raise TransitionRefused("accept needs a justification and the compensating controls")
    latest = today + dt.timedelta(days=p.max_acceptance_days)
    if req.expires is None or not today < req.expires <= latest:
        raise TransitionRefused(
            f"accept needs an expiry after {today} and no later than {latest} "
            f"({p.max_acceptance_days} days, CLAUSEGRAPH_FINDINGS_MAX_ACCEPTANCE_DAYS)"
        )
    return {"state": "accepted", "approver": req.actor, "requested_by": requester,
            "justification": req.justification.strip(),
            "compensating": req.compensating.strip(), "expires": req.expires}  # fmt: skip


def _false_positive(
    f: Finding, req: Request, today: dt.date, p: FindingsSettings
) -> dict[str, Any]:
    _need(req, "approver", "marking a false positive")
    if not req.justification.strip():
        raise TransitionRefused("false-positive needs a justification")
    return {"state": "false_positive", "approver": req.actor,
            "requested_by": req.requested_by.strip() or f.assignee,
            "justification": req.justification.strip()}  # fmt: skip


_EDITABLE = ACTIVE | {"accepted"}
TRANSITIONS: dict[str, tuple[frozenset[str], Rule]] = {
    "start": (frozenset({"open", "reopened"}), _start),
    "reassign": (frozenset(_EDITABLE), _reassign),
    "verify": (frozenset({"resolved"}), _verify),
    "accept": (frozenset(ACTIVE), _accept),
    "false_positive": (frozenset(ACTIVE), _false_positive),
}


def _source(actor: str, name: str) -> Source:
    cur = current_source()
    command = cur.command if cur and cur.command else f"finding {name}"
    return Source(actor, command, cur.batch_id if cur else new_batch_id())


def transition(
    store: Store,
    finding_id: str,
    name: str,
    req: Request,
    *,
    today: dt.date | None = None,
    policy: FindingsSettings | None = None,
) -> Finding:
    """Apply one transition; return the finding as written."""
    if name not in TRANSITIONS:
        raise TransitionRefused(f"unknown transition {name!r}; one of {', '.join(TRANSITIONS)}")
    allowed, rule = TRANSITIONS[name]
    f = io.get(store, finding_id)
    seen = f.version if req.version is None else req.version
    if seen != f.version:
        raise StaleFinding(
            f"{finding_id} changed since version {seen} (now version {f.version}, "
            f"{f.state}, by {f.actor}); read it again"
        )
    if f.state not in allowed:
        raise StaleFinding(
            f"{finding_id} is {f.state}; {name} needs it to be {' or '.join(sorted(allowed))}"
        )
    changes = rule(f, req, today or dt.date.today(), policy or FindingsSettings())
    new = replace(f, **changes, version=f.version + 1, transition=name, actor=req.actor,
                  note=req.note.strip())  # fmt: skip
    try:
        io.write(store, [(new, f.version)], _source(req.actor, name))
    except StaleWrite:
        raise StaleFinding(
            f"{finding_id} changed while {name} was written (another transition won); read it again"
        ) from None
    return new
