"""What each gap says: one sentence per row of a rule's query, with the facts that make it a gap."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from graph.applicability import propose_tier
from graph.evidence_policy import hygiene
from graph.incident_clock import clock

if TYPE_CHECKING:
    from graph.gap_context import GapContext

Row = dict[str, Any]
Message = Callable[[Row, "GapContext"], str | None]  # None: the row is not a gap after all

# Presence rules: the evidence kind that must be valid on the as-of date, the lifecycle stages the
# law attaches the duty to, and how a finding names the missing item.
PRESENCE: dict[str, tuple[str, tuple[str, ...], str]] = {
    "high_risk_without_logs": ("log", ("production",), "log evidence"),  # logs exist in use
    "high_risk_without_registration": (
        "registration", ("planned", "development", "production"), "registration"),
    "deployer_without_fria": ("fria", ("planned", "development", "production"), "FRIA"),
    "high_risk_without_oversight_records": (
        "oversight_record", ("production",), "oversight record"),
    "gpai_without_technical_documentation": (
        "technical_documentation", ("development", "production"), "technical documentation"),
}  # fmt: skip

TEMPLATES: dict[str, str] = {
    "discovered_asset_unowned": "{name} was found by discovery and has no owner",
    "article_without_control": "no implemented control addresses Art. {article} ({title})",
    "high_risk_without_logs": "no log evidence",
    "high_risk_stale_logs": "newest log collected {newest}, over {max_age} days before {as_of}",
    "log_retention_too_short": "logs kept {retention_days} days, fewer than {min_days}",
    "high_risk_without_registration": "no registration evidence ({where})",
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


def _incident(row: Row, ctx: GapContext) -> str | None:
    bound = row["due_literal"] or row["due"] if ctx.date_reading == "literal" else row["due"]
    c = clock(row["subject"], row["severity"], row["aware_on"], row["reported_on"], bound,
              ctx.as_of, ctx.incident_days)  # fmt: skip
    return c.text() if c.breached else None


def _stale(row: Row, ctx: GapContext) -> str:
    scope = f" for {row['asset']}" if row["asset"] else ""
    return (
        f"newest evidence{scope} of control {row['control']} collected {row['newest']}, "
        f"older than its {row['days']}-day review period"
    )


def _dataset(row: Row, ctx: GapContext) -> str:
    said = ["no provenance recorded"] if row["no_provenance"] else []
    if row.get("no_legal_basis"):
        said.append("personal data with no legal basis recorded (GDPR Art. 6, in force)")
    return "; ".join(said)


def _version_or_hash(row: Row, ctx: GapContext) -> str | None:
    return hygiene(row["kind"], row["sha256"], row["version"], row["local_path"])


def _no_tier(row: Row, ctx: GapContext) -> str:
    tier, why = propose_tier(row)
    hint = f"; proposed: {tier} ({why})" if tier else f"; {why}"
    return f"{row['name']} ({row['lifecycle']}) has no risk tier{hint}"


def _tier_contradiction(row: Row, ctx: GapContext) -> str | None:
    who, tier = f"{row['name']} ({row['lifecycle']})", row["tier"]
    if tier == "high":
        return (
            f"{who} is classified high-risk but neither an Annex III point nor an Annex I "
            "product link is recorded: its Chapter III date (2 Dec 2027 Annex III, 2 Aug 2028 "
            "Annex I) and Arts 27, 49 and 86 cannot be decided; dated as Annex III"
        )
    if row["annex_i"]:
        return (
            f"{who} is recorded as a safety component of an Annex I product but classified "
            f"{tier}: Art. 6(1) makes it high-risk where the product needs a third-party "
            "conformity assessment; classify it high or correct annex_i"
        )
    missing = [k for k in ("assessment", "registration") if k not in row["kinds"]]
    if not missing:
        return None  # Art. 6(3) derogation documented (6(4)) and registered (49(2))
    return (
        f"{who} is listed under Annex III point {row['annex_iii_area']} but classified "
        f"{tier}: an Annex III system is not high-risk only under Art. 6(3), with the "
        "assessment documented (Art. 6(4)) and the system registered (Art. 49(2)); no valid "
        f"{' or '.join(missing)} concerns it"
    )


def _register(row: Row) -> str:
    """Where a high-risk system is registered: Annex III area 2 (critical infrastructure) at
    national level (Art. 49(5)), every other one in the EU database (Art. 49(1)-(3), 71)."""
    if (row.get("area") or "").startswith("2"):
        return "Annex III area 2: registered at national level, Art. 49(5)"
    return "EU database, Art. 49"


def _prohibited(row: Row, ctx: GapContext) -> str:
    point = row.get("practice")
    what = f"Art. 5(1)({point}) practice" if point else (
        "prohibited practice (tier prohibited; the Art. 5(1) point is not recorded: set "
        "prohibited_practice)")  # fmt: skip
    tier = row.get("tier")
    stated = f" (the inventory states tier {tier or 'none'})" if tier != "prohibited" else ""
    if row["lifecycle"] == "production":
        return f"{what} is still in production{stated}"
    stage = "planned" if row["lifecycle"] == "planned" else "in development"
    return (
        f"{what} is {stage}{stated}: it may never be placed on the market, put into service or used"
    )


SPECIAL: dict[str, Message] = {
    "prohibited_practice_in_use": _prohibited,
    "prohibited_practice_not_yet_in_use": _prohibited,
    "asset_without_risk_tier": _no_tier,
    "risk_tier_contradicts_facts": _tier_contradiction,
    "incident_not_notified": _incident,
    "evidence_stale": _stale,
    "dataset_without_provenance": _dataset,
    "evidence_without_version_or_hash": _version_or_hash,
}


def message(rule: str, row: Row, ctx: GapContext) -> str | None:
    if rule in SPECIAL:
        return SPECIAL[rule](row, ctx)
    if rule in PRESENCE and row.get("expired_on") is not None:
        return f"{PRESENCE[rule][2]} expired on {row['expired_on']}; none valid on {ctx.as_of}"
    extra = {"max_age": ctx.log_max_age_days, "as_of": ctx.as_of,
             "min_days": ctx.min_log_retention_days, "where": _register(row)}  # fmt: skip
    return TEMPLATES[rule].format(**(extra | {k: "?" if v is None else v for k, v in row.items()}))


def organisation_message(title: str, article: str, systems: list[str]) -> str:
    listed = ", ".join(systems[:8]) + (", …" if len(systems) > 8 else "")
    return (
        f"no implemented control addresses Art. {article} ({title}), a duty of the organisation; "
        f"{len(systems)} AI system{'s' * (len(systems) != 1)} in scope: {listed}"
    )
