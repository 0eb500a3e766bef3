"""Public response models: the HTTP contract (also what OpenAPI documents)."""

from __future__ import annotations

import datetime as dt
from typing import Generic, Literal, TypeVar

from pydantic import BaseModel, Field

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """A page of a list: ``data`` holds at most ``limit`` items starting at ``offset``."""

    data: list[T]
    count: int = Field(description="Items in the whole list, not just this page.")
    offset: int
    limit: int


class ArticleOut(BaseModel):
    id: str = Field(examples=["AIA-14"])
    number: int | str = Field(examples=[14, "Annex III"])
    kind: Literal["article", "annex"]
    title: str = Field(examples=["Human oversight"])
    chapter: str | None
    section: int | None
    binds: list[str]
    tiers: list[str]
    applies_from: dt.date | None = Field(description="As amended by Regulation (EU) 2026/1744.")
    applies_from_original: dt.date | None = Field(description="As enacted (Art. 113).")
    applies_from_annex_i: dt.date | None
    applies_from_annex_i_original: dt.date | None
    date_basis: str | None
    no_counterpart_reason: str | None
    no_counterpart_paragraphs: list[str]
    applies: bool | None = Field(None, description="Applies on as_of (when as_of is given).")


class ClauseOut(BaseModel):
    id: str = Field(examples=["ISO42001-A.6.2.8"])
    number: str = Field(examples=["A.6.2.8"])
    title: str
    kind: Literal["clause", "objective", "annex_a_control"]


class PairOut(BaseModel):
    clause: str = Field(examples=["A.6.2.8"])
    article: int | str = Field(examples=[12])
    paragraph: str | None
    relation: Literal["equal", "subset", "superset", "intersect", "related"]
    rationale: str
    confidence: Literal["high", "medium", "low"]
    source: str
    coverage: Literal["full", "partial", "none"]


class AssetOut(BaseModel):
    id: str = Field(examples=["cv-screening"])
    name: str
    role: str
    risk_tier: str | None
    lifecycle: str
    annex_iii_area: str | None
    annex_i: bool | None
    public_body: bool | None
    discovered: bool | None
    in_eu: bool | None
    owner: str | None


class EvidenceOut(BaseModel):
    id: str
    kind: str
    title: str | None
    uri: str | None
    sha256: str | None
    collected_on: dt.date
    valid_until: dt.date | None
    version: str | None
    file_status: str | None
    owner: str | None
    freshness: Literal["fresh", "unverifiable", "stale", "expired", "future"]
    why: str


class PathOut(BaseModel):
    control: str
    name: str | None
    status: str | None
    owner: str | None
    review_every_days: int | None
    via: Literal["direct", "clause"]
    clause: str | None
    clause_title: str | None = None
    rationale: str | None = None
    relation: str
    paragraph: str | None
    coverage: Literal["full", "partial", "none"]
    state: Literal[
        "ok", "unverifiable", "stale", "expired", "future", "no_evidence", "not_implemented"
    ]
    evidence: list[EvidenceOut]


class ArticleRef(BaseModel):
    id: str
    number: str
    title: str


class AssetRef(BaseModel):
    id: str
    name: str
    role: str
    risk_tier: str | None
    lifecycle: str
    in_eu: bool | None
    annex_i: bool | None
    annex_iii_area: str | None
    public_body: bool | None
    eu_market: bool | None = None
    eu_deployer: bool | None = None
    eu_output: bool | None = None
    rebranded_or_modified: bool | None = None
    own_use: bool | None = None
    prohibited_practice: str | None
    transparency_use: str | None
    discovered: bool | None
    owner: str | None
    owner_name: str | None


class UnimplementedClause(BaseModel):
    clause: str
    title: str
    relation: str
    paragraph: str | None


class OwnerRef(BaseModel):
    id: str
    of: str = Field(examples=["control C-28"])


class IncidentClockOut(BaseModel):
    """One serious incident's Art. 73 notification clock (graph/incident_clock.py)."""

    id: str
    severity: str
    aware_on: dt.date
    deadline: dt.date | None = Field(description="None: known before Art. 73 bound the system.")
    reported_on: dt.date | None
    status: Literal["before_duty", "future", "notified", "running", "late", "overdue"]


class CoverageOut(BaseModel):
    """What covers the article for the AI system."""

    asset: AssetRef
    article: ArticleRef
    as_of: dt.date
    verdict: Literal["covered", "partial", "uncovered", "not_applicable"]
    reason: str
    applicability: str | None = None
    applies_from: dt.date | None
    dated_by: str | None = Field(
        None, description="Which date reading set applies_from, when the two readings differ."
    )
    in_force: bool
    paths: list[PathOut]
    unimplemented_clauses: list[UnimplementedClause]
    owners: list[OwnerRef]
    weakest_link: str | None
    incidents: list[IncidentClockOut] = Field(
        default_factory=list,
        description="Art. 73 only: the system's serious incidents and their notification clocks; "
        "one notified late or not by its deadline makes the article at most partial.",
    )


class TraceRow(BaseModel):
    article: str
    title: str
    verdict: Literal["covered", "partial", "uncovered", "not_applicable"]
    applies_from: dt.date
    dated_by: str | None = None
    in_force: bool
    controls: list[str]
    weakest_link: str | None
    reason: str


class GapOut(BaseModel):
    id: str = Field(examples=["high_risk_without_logs:apprentice-admissions"])
    rule: str
    severity: Literal["critical", "high", "medium", "low"]
    title: str
    subject: str
    asset: str | None
    article: str | None
    owner: str | None
    message: str
    legal_basis: str
    remediation: str
    route_to: str
    due: dt.date | None
    in_force: bool
    dated_by: str | None = Field(None, description="Which date reading set due, if they differ.")
    systems: list[str] = Field(
        default_factory=list, description="The AI systems the subject is or serves."
    )


class GroupShare(BaseModel):
    group: str
    pairs: int = Field(description="(AI system, applicable article) pairs in the group.")
    addressed: int = Field(description="Pairs with at least one implemented control.")
    addressed_pct: float


class Count(BaseModel):
    key: str
    count: int


class MetricsOut(BaseModel):
    as_of: dt.date
    by_chapter: list[GroupShare]
    by_tier: list[GroupShare]
    gaps_by_severity: list[Count]
    gaps_by_rule: list[Count]
    stale_evidence: int = Field(description="Evidence items expired or past their review period.")
    open_gaps_by_owner: list[Count]


class IngestOut(BaseModel):
    loaded: dict[str, int]
    new: dict[str, int]
    subject_to: int
