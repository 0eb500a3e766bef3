"""The findings register: list, one finding with its story, and the transitions people make.

Roles (docs/remediation.md): reading needs ``reader``; ``start`` and ``reassign`` the assignee
or an ``analyst``; ``verify``, ``accept`` and ``false-positive`` an ``approver``. The actor is
the key's name. A transition carries the ``version`` it saw: a stale one is a 409.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi import Request as HttpRequest
from pydantic import BaseModel, ConfigDict, Field

from api.auth import Principal
from api.deps import Approver, GraphDep, Reader
from api.problems import responses
from api.routes.catalog import Limit, Offset, page
from api.schemas import Page
from graph.audit.events import Source, acting, new_batch_id
from graph.findings.model import STATES
from graph.findings.transitions import Request
from graph.models import IsoDate


def settled(request: HttpRequest) -> None:
    """A findings read waits for the reconcile a preceding ingest asked for (api/reconciler.py)."""
    request.app.state.reconciler.flush()


router = APIRouter(prefix="/findings", tags=["findings"], dependencies=[Depends(settled)],
                   responses=responses(400, 401, 403, 404, 409, 422, 503))  # fmt: skip
metrics_router = APIRouter(prefix="/metrics", tags=["metrics"], dependencies=[Depends(settled)],
                           responses=responses(401, 403, 422, 503))  # fmt: skip
STATE = "^(" + "|".join(STATES) + ")?$"


class FindingOut(BaseModel):
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
    overdue: bool
    opened_at: dt.date
    asset: str | None
    article: str | None
    systems: list[str]
    title: str
    message: str
    legal_deadline: dt.date | None
    resolved_at: dt.date | None
    resolved_by_seq: list[int]
    resolved_by: list[str]
    reopen_count: int
    verified_by: str | None
    requested_by: str | None
    approver: str | None
    justification: str | None
    compensating: str | None
    expires: dt.date | None
    transition: str
    actor: str
    note: str


class StepOut(BaseModel):
    seq: int
    at: str
    actor: str
    command: str
    transition: str | None
    state: str | None
    assignee: str | None
    note: str | None


class CauseOut(BaseModel):
    seq: int
    at: str
    actor: str
    command: str
    kind: str
    key: str
    change: str
    fields: dict[str, Any]


class StoryOut(BaseModel):
    finding: FindingOut
    story: list[StepOut] = Field(description="Every write of the finding, from the change log.")
    resolved_by: list[CauseOut] = Field(description="The change events that resolved it.")


class TransitionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: int = Field(ge=1, description="The version you read; a changed finding is a 409.")
    note: str = Field(default="", max_length=2000)


class VerifyIn(TransitionIn):
    note: str = Field(min_length=1, max_length=2000, description="What was checked.")


class ReassignIn(TransitionIn):
    assignee: str = Field(min_length=1, max_length=200)


class AcceptIn(TransitionIn):
    justification: str = Field(min_length=1, max_length=2000)
    compensating: str = Field(min_length=1, max_length=2000)
    expires: IsoDate
    requested_by: str = Field(default="", max_length=200, description="Default: the assignee.")


class FalsePositiveIn(TransitionIn):
    justification: str = Field(min_length=1, max_length=2000)
    requested_by: str = Field(default="", max_length=200)


@router.get("", response_model=Page[FindingOut])
def list_findings(
    graph: GraphDep, _: Reader,
    state: Annotated[str, Query(pattern=STATE)] = "",
    owner: Annotated[str, Query(max_length=200, description="The assignee.")] = "",
    severity: Annotated[str, Query(pattern=r"^(critical|high|medium|low)?$")] = "",
    overdue: bool = False,
    due_within: Annotated[int | None, Query(ge=0, le=3650, description="Days.")] = None,
    offset: Offset = 0, limit: Limit = 100,
) -> dict[str, Any]:  # fmt: skip
    """Findings, overdue first, then by severity and due date."""
    from graph.findings.query import Filters

    today = dt.date.today()
    flt = Filters((state,) if state else (), owner, severity, overdue, due_within)
    rows = graph.findings(flt, today)
    return page([f.to_dict(today) for f in rows], offset, limit)


class CountOut(BaseModel):
    key: str
    count: int


class ClosureMonthOut(BaseModel):
    month: str = Field(description="YYYY-MM (UTC) of the change events counted.")
    to_act_on_at_start: int
    opened: int
    reopened: int
    resolved: int
    accepted: int
    false_positive: int
    closure_rate: float | None = Field(
        description="resolved / (to act on at the start + opened + reopened)"
    )
    median_days_to_close: float | None


class CloseTimeOut(BaseModel):
    severity: str
    closed: int
    mean_days: float
    median_days: float


class ExpiringOut(BaseModel):
    id: str
    expires: IsoDate
    approver: str | None


class RemediationOut(BaseModel):
    as_of: dt.date
    findings: int
    by_state: list[CountOut]
    open_by_severity: list[CountOut]
    open_by_owner: list[CountOut]
    open_by_rule: list[CountOut]
    overdue: int
    overdue_by_severity: list[CountOut]
    exposure_days: int = Field(description="Open red-line findings times the days each is open.")
    closed_by_month: list[CountOut]
    closure_by_month: list[ClosureMonthOut] = Field(
        description="Every transition per month, replayed from the change log."
    )
    time_to_close: list[CloseTimeOut]
    regressions: int
    reopened_total: int
    acceptances_expiring: list[ExpiringOut]


digest_router = APIRouter(prefix="/digest", tags=["digest"], dependencies=[Depends(settled)],
                          responses=responses(401, 403, 422, 503))  # fmt: skip


class DigestItemOut(BaseModel):
    id: str
    title: str
    severity: str | None = None
    state: str | None = None
    due: dt.date | None = None
    reopen_count: int | None = None
    expires: dt.date | None = None
    approver: str | None = None
    valid_until: dt.date | None = None
    asset: str | None = Field(None, description="The AI system a control review is for ('' org).")
    newest: dt.date | None = Field(None, description="A control's newest evidence, collected on.")
    review_due: dt.date | None = Field(None, description="When that evidence goes stale.")


class DigestOut(BaseModel):
    owner: str
    overdue: list[DigestItemOut]
    due_soon: list[DigestItemOut]
    regressions: list[DigestItemOut]
    acceptances_expiring: list[DigestItemOut]
    evidence_expiring: list[DigestItemOut]
    control_reviews_due: list[DigestItemOut]


@digest_router.get("", response_model=list[DigestOut])
def owner_digest(
    graph: GraphDep, _: Reader,
    owner: Annotated[str, Query(max_length=200)] = "",
    within: Annotated[int, Query(ge=0, le=3650, description="Days.")] = 14,
) -> list[dict[str, Any]]:  # fmt: skip
    """Per owner: findings overdue and due soon, regressions, acceptances and evidence
    expiring within the window."""
    return graph.digest(dt.date.today(), within, owner)


@metrics_router.get("/remediation", response_model=RemediationOut)
def remediation(
    graph: GraphDep, _: Reader,
    expiring_within: Annotated[int, Query(ge=0, le=3650, description="Days.")] = 30,
) -> dict[str, Any]:  # fmt: skip
    """Remediation metrics computed from the findings (docs/remediation.md)."""
    return graph.remediation_metrics(dt.date.today(), expiring_within)


@router.get("/{finding_id}", response_model=StoryOut)
def get_finding(graph: GraphDep, _: Reader, finding_id: str) -> dict[str, Any]:
    """One finding with its story: every transition (actor, time, note) and the changes that
    resolved it."""
    got = graph.finding_story(finding_id)
    return dict(got, finding=got["finding"].to_dict())


def _do(graph: GraphDep, who: Principal, finding_id: str, name: str, **kw: Any) -> Any:
    route = f"POST /findings/{{id}}/{name.replace('_', '-')}"
    with acting(Source(actor=who.name, command=route, batch_id=new_batch_id())):
        f = graph.transition(finding_id, name, Request(actor=who.name, role=who.role, **kw))
    return f.to_dict()


@router.post("/{finding_id}/start", response_model=FindingOut)
def start(graph: GraphDep, who: Reader, finding_id: str, body: TransitionIn) -> Any:
    """open/reopened → in_progress: the assignee, or an analyst."""
    return _do(graph, who, finding_id, "start", version=body.version, note=body.note)


@router.post("/{finding_id}/reassign", response_model=FindingOut)
def reassign(graph: GraphDep, who: Reader, finding_id: str, body: ReassignIn) -> Any:
    """A new assignee: the assignee hands it on, or an analyst."""
    return _do(graph, who, finding_id, "reassign", version=body.version, note=body.note,
               assignee=body.assignee)  # fmt: skip


@router.post("/{finding_id}/verify", response_model=FindingOut)
def verify(graph: GraphDep, who: Approver, finding_id: str, body: VerifyIn) -> Any:
    """resolved → verified: an approver who is neither the assignee nor the fixer."""
    return _do(graph, who, finding_id, "verify", version=body.version, note=body.note)


@router.post("/{finding_id}/accept", response_model=FindingOut)
def accept(graph: GraphDep, who: Approver, finding_id: str, body: AcceptIn) -> Any:
    """Risk acceptance with an expiry (never for a prohibited practice: 422)."""
    return _do(graph, who, finding_id, "accept", version=body.version, note=body.note,
               justification=body.justification, compensating=body.compensating,
               expires=body.expires, requested_by=body.requested_by)  # fmt: skip


@router.post("/{finding_id}/false-positive", response_model=FindingOut)
def false_positive(graph: GraphDep, who: Approver, finding_id: str, body: FalsePositiveIn) -> Any:
    """Mark a false positive (an approver, with a justification)."""
    return _do(graph, who, finding_id, "false_positive", version=body.version, note=body.note,
               justification=body.justification, requested_by=body.requested_by)  # fmt: skip
