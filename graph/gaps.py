"""Find the gaps: run each rule's named query once over the whole graph, shape the answers.

Every rule is one keyed query or anti-join (`NOT EXISTS` written `EXISTS {…} = false`, see
docs/architecture.md); Python only turns rows into :class:`Gap` records and applies the few
date rules that need arithmetic (incident deadlines), with cutoffs computed once per report.
A gap's id is ``rule:subject`` — stable across runs, so reviews can be diffed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from graph.applicability import propose_tier
from graph.gap_rules import RED_LINE, RULES, RULES_BY_ID, SEVERITY_RANK, GapRule
from graph.stores import Store

Row = dict[str, Any]


@dataclass(frozen=True)
class GapContext:
    """Everything a report depends on besides the graph: the date and the legal numbers."""

    as_of: dt.date
    log_max_age_days: int = 30
    min_log_retention_days: int = 183  # six months (Art. 19(1), 26(6)), rounded up
    incident_days: dict[str, int] = field(
        default_factory=lambda: {"serious": 15, "death": 10, "widespread_infringement": 2,
                                 "critical_infrastructure": 2}
    )  # fmt: skip
    # article number -> (applies_from, applies_from for Annex I products or None)
    article_dates: dict[int, tuple[dt.date, dt.date | None]] = field(default_factory=dict)


@dataclass(frozen=True)
class Gap:
    id: str
    rule: str
    severity: str
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

    @property
    def red_line(self) -> bool:
        return self.severity in RED_LINE

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


Message = Callable[[Row, GapContext], str | None]  # None: the row is not a gap after all


def _incident(row: Row, ctx: GapContext) -> str | None:
    days = ctx.incident_days[row["severity"]]
    deadline = row["aware_on"] + dt.timedelta(days=days)
    reported = row["reported_on"]
    if reported is None:
        if ctx.as_of <= deadline:
            return None
        return f"{row['severity']} incident not notified; deadline {deadline} ({days} days) passed"
    if reported <= deadline:
        return None
    return (
        f"{row['severity']} incident notified {reported}, after the {days}-day deadline {deadline}"
    )


def _stale(row: Row, ctx: GapContext) -> str:
    scope = f" for {row['asset']}" if row["asset"] else ""
    return (
        f"newest evidence{scope} of control {row['control']} collected {row['newest']}, "
        f"older than its {row['days']}-day review period"
    )


TEMPLATES: dict[str, str] = {
    "prohibited_practice_in_use": "Art. 5(1)({practice}) practice is still in {lifecycle}",
    "discovered_asset_unowned": "{name} was found by discovery and has no owner",
    "article_without_control": "no implemented control addresses Art. {article} ({title})",
    "high_risk_without_logs": "no log evidence",
    "high_risk_stale_logs": "newest log collected {newest}, over {max_age} days before {as_of}",
    "log_retention_too_short": "logs kept {retention_days} days, fewer than {min_days}",
    "high_risk_without_registration": "no registration evidence (EU database, Art. 49)",
    "deployer_without_fria": "no fundamental rights impact assessment (Art. 27)",
    "high_risk_without_oversight_records": "no human-oversight records",
    "gpai_without_technical_documentation": "no technical documentation (Art. 53(1)(a))",
    "evidence_hash_mismatch": "local file {local_path} is {status}",
    "asset_without_owner": "{name} has no owner",
    "control_without_owner": "{name} has no owner",
    "dataset_without_owner": "{name} has no owner",
    "evidence_without_owner": "{name} has no owner",
    "control_without_evidence": "{name} is implemented but nothing shows it works",
    "evidence_expired": "valid until {valid_until}",
}


def _dataset(row: Row, ctx: GapContext) -> str:
    return "no provenance recorded" if row["no_provenance"] else "personal data, no legal basis"


def _version_or_hash(row: Row, ctx: GapContext) -> str:
    return "no version" if row["version"] is None else "local file without a declared sha256"


def _no_tier(row: Row, ctx: GapContext) -> str:
    tier, why = propose_tier(row)
    hint = f"; proposed: {tier} ({why})" if tier else f"; {why}"
    return f"{row['name']} ({row['lifecycle']}) has no risk tier{hint}"


SPECIAL: dict[str, Message] = {
    "asset_without_risk_tier": _no_tier,
    "incident_not_notified": _incident,
    "evidence_stale": _stale,
    "dataset_without_provenance": _dataset,
    "evidence_without_version_or_hash": _version_or_hash,
}


def message(rule: str, row: Row, ctx: GapContext) -> str | None:
    if rule in SPECIAL:
        return SPECIAL[rule](row, ctx)
    extra = {"max_age": ctx.log_max_age_days, "as_of": ctx.as_of,
             "min_days": ctx.min_log_retention_days}  # fmt: skip
    return TEMPLATES[rule].format(**(extra | {k: "?" if v is None else v for k, v in row.items()}))


def rule_query(rule: str, ctx: GapContext) -> tuple[str, dict[str, Any]]:
    """The named query and parameters behind a rule."""
    kind = {
        "high_risk_without_registration": ("AIA-49", "registration"),
        "deployer_without_fria": ("AIA-27", "fria"),
    }
    if rule in kind:
        article, ev = kind[rule]
        return "gaps.subject_without_evidence_kind", {"article": article, "kind": ev}
    if rule == "high_risk_without_oversight_records":
        return "gaps.tier_without_evidence_kind", {
            "tiers": ["high"], "roles": ["provider", "deployer"],
            "lifecycles": ["production"], "kind": "oversight_record"}  # fmt: skip
    if rule == "gpai_without_technical_documentation":
        return "gaps.tier_without_evidence_kind", {
            "tiers": ["gpai", "gpai_systemic"],
            "roles": ["provider"],
            "lifecycles": ["development", "production"],
            "kind": "technical_documentation",
        }
    params: dict[str, dict[str, Any]] = {
        "high_risk_stale_logs": {"cutoff": ctx.as_of - dt.timedelta(days=ctx.log_max_age_days)},
        "log_retention_too_short": {"min_days": ctx.min_log_retention_days},
        "evidence_expired": {"as_of": ctx.as_of},
    }
    if rule == "incident_not_notified":
        return "gaps.incident_candidates", {}
    return f"gaps.{rule}", params.get(rule, {})


# Rules whose query returns rows unordered, with the columns to sort them by (the first row of a
# subject wins, so the order decides which row a gap reports).
UNORDERED: dict[str, tuple[str, ...]] = {"evidence_stale": ("subject", "control", "asset")}


def _due(rule: GapRule, row: Row, ctx: GapContext) -> dt.date | None:
    if row.get("due") is not None:
        return row["due"]  # type: ignore[no-any-return]
    if rule.article is None or rule.article not in ctx.article_dates:
        return None
    annex_iii, annex_i = ctx.article_dates[rule.article]
    return annex_i if row.get("annex_i") and annex_i else annex_iii


def run_rule(store: Store, rule: GapRule, ctx: GapContext) -> list[Gap]:
    name, params = rule_query(rule.id, ctx)
    if rule.id == "evidence_stale":
        params = {"periods": _periods(store, ctx)}
        if not params["periods"]:
            return []
    rows = store.read(name, **params)
    if rule.id in UNORDERED:  # a UNION ALL cannot be sorted as a whole on both stores
        rows.sort(key=lambda r: tuple("" if r[k] is None else r[k] for k in UNORDERED[rule.id]))
    out: dict[str, Gap] = {}
    for row in rows:
        text = message(rule.id, row, ctx)
        if text is None:
            continue
        due = _due(rule, row, ctx)
        article = row.get("article")
        gap_id = f"{rule.id}:{row['subject']}"
        out.setdefault(gap_id, Gap(
            id=gap_id, rule=rule.id, severity=rule.severity,
            title=rule.title, subject=row["subject"], asset=row.get("asset") or None,
            article=str(article) if article is not None else None, owner=row.get("owner"),
            message=text, legal_basis=rule.legal_basis, remediation=rule.remediation,
            route_to=rule.route_to, due=due, in_force=due is None or due <= ctx.as_of,
        ))  # fmt: skip
    return list(out.values())


def _periods(store: Store, ctx: GapContext) -> list[dict[str, Any]]:
    days = sorted({r["days"] for r in store.read("gaps.review_periods")})
    return [{"days": d, "cutoff": ctx.as_of - dt.timedelta(days=d)} for d in days]


def find_gaps(
    store: Store,
    ctx: GapContext,
    *,
    rules: Iterable[str] | None = None,
    asset: str | None = None,
    severity: str | None = None,
) -> list[Gap]:
    """All gaps, most severe first; optionally only some rules, one asset or one severity."""
    chosen = [RULES_BY_ID[r] for r in rules] if rules else list(RULES)
    if severity:
        chosen = [r for r in chosen if r.severity == severity]
    gaps = [g for rule in chosen for g in run_rule(store, rule, ctx)]
    if asset:
        gaps = [g for g in gaps if g.asset == asset]
    return sorted(gaps, key=lambda g: (SEVERITY_RANK[g.severity], g.rule, g.id))
