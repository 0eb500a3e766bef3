"""The gap report and compliance metrics."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from api.deps import GraphDep, Reader
from api.problems import responses
from api.routes.catalog import AsOf, Limit, Offset, day, page
from api.routes.catalog import OptIdQuery as Id
from api.routes.findings import settled
from api.schemas import GapOut, MetricsOut, Page
from api.session import Clausegraph
from graph.gap_rules import RULES_BY_ID
from graph.gaps import Gap

ERRORS = responses(401, 403, 409, 422, 503)  # 409: the store holds no catalogs or AI systems
router = APIRouter(prefix="/gaps", tags=["gaps"], responses=ERRORS)
metrics = APIRouter(prefix="/metrics", tags=["metrics"], responses=ERRORS)
TIER = r"^(prohibited|high|limited|minimal|gpai|gpai_systemic)?$"
RULE = "^(" + "|".join(sorted(RULES_BY_ID)) + ")?$"


@router.get(
    "", response_model=Page[GapOut], dependencies=[Depends(settled)], responses=responses(404)
)
def list_gaps(
    graph: GraphDep, _: Reader,
    severity: Annotated[str, Query(pattern=r"^(critical|high|medium|low)?$")] = "",
    rule: Annotated[str, Query(pattern=RULE, description="A rule id (docs/gap-rules.md).")] = "",
    asset: Id = "", owner: Id = "",
    tier: Annotated[str, Query(pattern=TIER)] = "",
    as_of: AsOf = None,
    in_force: Annotated[bool, Query(description="Only gaps already due on as_of.")] = False,
    offset: Offset = 0, limit: Limit = 100,
) -> dict[str, Any]:  # fmt: skip
    """Gaps, most severe first, each with a stable id, legal basis, remediation and routing."""
    if asset:
        graph.require_asset(asset)  # 404, not an empty page, for a mistyped id
    every, _report = graph.gaps_reconciled(day(as_of))  # today's report reconciles the findings
    gaps = graph.filter_gaps(every, rules=[rule] if rule else None, asset=asset or None,
                             severity=severity or None)  # fmt: skip
    if owner:
        gaps = [g for g in gaps if g.owner == owner]
    if in_force:
        gaps = [g for g in gaps if g.in_force]
    if tier:
        tiers = {a["id"]: a["risk_tier"] for a in graph.store.read(
            "assets.list", tier=tier, owner="", lifecycle="")}  # fmt: skip
        gaps = [g for g in gaps if g.asset in tiers]
    return page([g.to_dict() for g in gaps], offset, limit)


def _counts(c: Counter[str]) -> list[dict[str, Any]]:
    return [{"key": k, "count": v} for k, v in sorted(c.items())]


def _shares(pairs: Counter[str], unaddressed: Counter[str]) -> list[Any]:
    """Per group: its pairs, those addressed by a control, and the share (groups sorted)."""
    out = []
    for name in sorted(pairs):
        ok = pairs[name] - unaddressed[name]
        out.append({"group": name, "pairs": pairs[name], "addressed": ok,
                    "addressed_pct": round(100 * ok / pairs[name], 1)})  # fmt: skip
    return out


def compliance_figures(
    graph: Clausegraph, when: dt.date, gaps: list[Gap] | None = None
) -> dict[str, Any]:
    """The /metrics/compliance answer (also the dashboard's overview figures); ``gaps``: the
    report for ``when`` when the caller has it already. The pairs are counted in the engine;
    only the pairs no control addresses (the ``article_without_control`` gaps) are read, to
    place them by chapter and tier."""
    gaps = graph.gaps(when) if gaps is None else gaps
    unaddressed = {(g.asset or "", "AIA-" + (g.article or "")) for g in gaps
                   if g.rule == "article_without_control"}  # fmt: skip
    by_chapter: Counter[str] = Counter()
    by_tier: Counter[str] = Counter()
    for c in graph.store.read("metrics.pair_counts"):
        by_chapter[c["chapter"] or "unassigned"] += c["pairs"]
        by_tier[c["tier"] or "unassigned"] += c["pairs"]
    missing_chapter: Counter[str] = Counter()
    missing_tier: Counter[str] = Counter()
    assets = sorted({a for a, _ in unaddressed})
    for p in graph.store.read("metrics.pairs_of", assets=assets) if assets else []:
        if (p["asset"], p["article"]) in unaddressed:
            missing_chapter[p["chapter"] or "unassigned"] += 1
            missing_tier[p["tier"] or "unassigned"] += 1
    return {
        "as_of": when,
        "by_chapter": _shares(by_chapter, missing_chapter),
        "by_tier": _shares(by_tier, missing_tier),
        "gaps_by_severity": _counts(Counter(g.severity for g in gaps)),
        "gaps_by_rule": _counts(Counter(g.rule for g in gaps)),
        "stale_evidence": sum(g.rule in ("evidence_stale", "evidence_expired") for g in gaps),
        "open_gaps_by_owner": _counts(Counter(g.owner or "(no owner)" for g in gaps)),
    }


@metrics.get("/compliance", response_model=MetricsOut)
def compliance(
    graph: GraphDep, _: Reader,
    as_of: AsOf = None,
) -> dict[str, Any]:  # fmt: skip
    """Share of applicable (system, article) pairs addressed by a control, per chapter and tier;
    gaps by severity and rule; stale evidence; open gaps per owner."""
    return compliance_figures(graph, day(as_of) or dt.date.today())
