"""Find the gaps: run each rule's named query once over the whole graph, shape the answers.

Every rule is one keyed query or anti-join (`NOT EXISTS` written `EXISTS {…} = false`, see
docs/architecture.md). A rule about AI systems reads the same SUBJECT_TO edges as `coverage` and
`trace` (:attr:`GapRule.articles`), so it reports a system only when the system is subject to the
rule's article, dated by that edge. Python turns rows into :class:`Gap` records (one per
subject: a row per system is folded into ``systems``), applies the few date rules that need
arithmetic, reports duties of the organisation once (:data:`ORGANISATION_LEVEL`), drops what a
more specific finding already says (:data:`SUPPRESSIONS`) and ranks (:func:`rank`).
A gap's id is ``rule:subject`` — stable across runs, so reviews can be diffed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from typing import Any

from graph.evidence_policy import REQUIRES_HASH
from graph.gap_context import DateReading, GapContext
from graph.gap_messages import PRESENCE, message, organisation_message
from graph.gap_relations import ORGANISATION_LEVEL, SUPPRESSIONS
from graph.gap_rules import RED_LINE, RULE_RANK, RULES, RULES_BY_ID, SEVERITY_RANK, GapRule
from graph.gc_pause import gc_paused
from graph.stores import Store

__all__ = [
    "DateReading", "Gap", "GapContext", "Part", "find_gaps", "rank", "rule_parts", "rule_query",
]  # fmt: skip

Row = dict[str, Any]
# Exposure: a gap about a system in use weighs more than one in development or planning.
EXPOSURE: dict[str | None, int] = {"production": 0, "development": 1, "planned": 2}


@dataclass(frozen=True, slots=True)  # slots: a report at 100k holds 1.3M of these
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
    dated_by: str | None = None  # the date reading that set `due`, when the readings differ
    systems: tuple[str, ...] = ()  # the AI systems the subject is or serves
    lifecycle: str | None = None  # the most exposed lifecycle stage among them

    @property
    def red_line(self) -> bool:
        return self.severity in RED_LINE

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["systems"] = list(self.systems)
        return out


# Personal data without a legal basis is a gap from this day, not the AI Act's: Regulation (EU)
# 2016/679 (GDPR) "shall apply from 25 May 2018" (Art. 99(2)), and its Art. 6 binds the processing.
GDPR_APPLIES = dt.date(2018, 5, 25)


def rule_query(rule: str, ctx: GapContext) -> tuple[str, dict[str, Any]]:
    """The named query and parameters behind a rule."""
    articles = {"articles": list(RULES_BY_ID[rule].articles)}
    if rule in PRESENCE:
        kind, lifecycles, _ = PRESENCE[rule]
        return "gaps.subject_without_valid_evidence", articles | {
            "lifecycles": list(lifecycles), "kind": kind, "as_of": ctx.as_of}  # fmt: skip
    params: dict[str, dict[str, Any]] = {
        "high_risk_stale_logs": articles | {
            "as_of": ctx.as_of, "cutoff": ctx.as_of - dt.timedelta(days=ctx.log_max_age_days)},
        "log_retention_too_short": articles | {"min_days": ctx.min_log_retention_days},
        "dataset_without_provenance": articles | {"gdpr_from": GDPR_APPLIES},
        "prohibited_practice_in_use": articles | {"lifecycles": ["production"]},
        "prohibited_practice_not_yet_in_use": articles | {"lifecycles": ["planned", "development"]},
        "incident_not_notified": articles,
        "evidence_expired": {"as_of": ctx.as_of},
        "risk_tier_contradicts_facts": {"as_of": ctx.as_of},
        "evidence_without_version_or_hash": {"hash_kinds": sorted(REQUIRES_HASH)},
    }  # fmt: skip
    return QUERY_OF.get(rule, f"gaps.{rule}"), params.get(rule, {})


# Rules whose query is not named after them (every other rule's is ``gaps.<rule>``).
QUERY_OF: dict[str, str] = {
    "incident_not_notified": "gaps.incident_candidates",  # the clock decides (incident_clock)
    "prohibited_practice_not_yet_in_use": "gaps.prohibited_practice_in_use",  # other stages
}


# Rules answered by more than one query: the rows of these follow the rule's own query's.
EXTRA_PARTS: dict[str, tuple[str, ...]] = {"evidence_stale": ("gaps.evidence_stale_org",)}


@dataclass(frozen=True)
class Part:
    """One query a rule runs, with its parameters for one context."""

    rule: str
    query: str
    params: dict[str, Any]

    @property
    def key(self) -> str:  # presence rules share one query: the rule tells them apart
        return f"{self.rule}/{self.query}"

    @property
    def empty(self) -> bool:
        """No rows by its parameters: evidence_stale with no review period in use (LadybugDB
        types an empty ``UNWIND $periods`` as STRING and refuses ``p.days``)."""
        return self.params.get("periods") == []


# Where a report's rows come from: the full query by default, or the maintained rows
# (graph/gaprows), which must equal it row for row.
RowsOf = Callable[[Part], list[Row]]


def rule_parts(store: Store, ctx: GapContext, rules: Iterable[GapRule] = RULES) -> list[Part]:
    """Every query the rules run, with its parameters (evidence_stale's depend on the store:
    one per review period in use)."""
    out: list[Part] = []
    periods: list[dict[str, Any]] | None = None
    for r in rules:
        name, params = rule_query(r.id, ctx)
        if r.id == "evidence_stale":
            periods = _periods(store, ctx) if periods is None else periods
            params = {"periods": periods}
        out += [Part(r.id, q, params) for q in (name, *EXTRA_PARTS.get(r.id, ()))]
    return out


def full_rows(store: Store) -> RowsOf:
    return lambda part: [] if part.empty else store.read(part.query, **part.params)


# Rules whose query returns rows unordered, with the columns to sort them by (the first row of a
# subject wins, so the order decides which row a gap reports).
UNORDERED: dict[str, tuple[str, ...]] = {"evidence_stale": ("subject", "control", "asset")}


def _dates(rows: list[Row], ctx: GapContext) -> tuple[dt.date | None, str | None]:
    """(due, dated_by): the earliest date among the subject's edges, in the chosen reading."""
    practical = [r["due"] for r in rows if r.get("due") is not None]
    if not practical:
        return None, None
    literal = [r.get("due_literal") or r["due"] for r in rows if r.get("due") is not None]
    p, lit = min(practical), min(literal)
    if p == lit:
        return p, None
    if ctx.date_reading == "literal":
        return lit, f"literal reading: Art. 113 date {lit} (practical reading: {p})"
    return p, f"practical reading: the system's high-risk date {p} (literal Art. 113 date: {lit})"


def _organisation_rows(rows: list[Row]) -> list[Row]:
    """Rows of organisation-level articles re-keyed to their subject, ``org:<article>``."""
    out = []
    for row in rows:
        if row.get("article_id") in ORGANISATION_LEVEL:
            row = row | {"subject": f"org:{row['article_id']}", "system": row["asset"],
                         "asset": None, "owner": None}  # fmt: skip
        out.append(row)
    return out


def _gap(rule: GapRule, subject: str, rows: list[Row], ctx: GapContext) -> Gap | None:
    texts = [(t, r) for r in rows if (t := message(rule.id, r, ctx)) is not None]
    if not texts:
        return None
    text, first = texts[0]
    if len(rows) == 1:  # most gaps (127k of 129k at 10k systems): skip the set, sort and min
        one = first.get("system") or first.get("asset")
        systems = [one] if one else []
        lifecycle = first.get("lifecycle")
    else:
        systems = sorted({s for r in rows if (s := r.get("system") or r.get("asset"))})
        lifecycle = min((r.get("lifecycle") for r in rows), key=lambda x: EXPOSURE.get(x, 9))
    if subject.startswith("org:"):
        text = organisation_message(first["title"], first["article"], systems)
    due, dated_by = _dates(rows, ctx) if "due" in first else (None, None)
    if due is not None and due > ctx.as_of and dated_by is not None:
        # a fact already true today ("deadline passed") whose duty starts later for this system
        text = f"{text}; the duty applies to this system from {due} ({ctx.date_reading} reading)"
    article = first.get("article")
    if article is None and len(rule.articles) == 1:  # the article the rule is about
        article = rule.articles[0].removeprefix("AIA-")
    return Gap(
        id=f"{rule.id}:{subject}", rule=rule.id, severity=rule.severity, title=rule.title,
        subject=subject, asset=first.get("asset") or None,
        article=str(article) if article is not None else None, owner=first.get("owner"),
        message=text, legal_basis=rule.legal_basis, remediation=rule.remediation,
        route_to=rule.route_to, due=due, in_force=due is None or due <= ctx.as_of,
        dated_by=dated_by, systems=tuple(systems), lifecycle=lifecycle,
    )  # fmt: skip


# (system, evidence id): an expired item an in-force presence rule already reports on the system
# and article it was for ("FRIA expired on ..."); its own evidence_expired finding is folded away.
Reported = set[tuple[str, str]]


def subject_of(rule: str, row: Row) -> str:
    """The subject a rule's row is a gap of: its own, or ``org:<article>`` for a duty of the
    organisation (:data:`ORGANISATION_LEVEL`)."""
    if rule == "article_without_control" and row.get("article_id") in ORGANISATION_LEVEL:
        return f"org:{row['article_id']}"
    return str(row["subject"])


def shape(rule: GapRule, subject: str, rows: list[Row], ctx: GapContext) -> Gap | None:
    """The gap of one subject from its rows, in the order the rule's queries return them
    (None: no row is a gap after all). graph/gapreport shapes a changed subject alone this way."""
    if rule.id in UNORDERED:  # rows of several queries, or a query that cannot sort them
        rows = sorted(rows, key=lambda r: tuple("" if r[k] is None else r[k]
                                                for k in UNORDERED[rule.id]))  # fmt: skip
    if rule.id == "article_without_control":
        rows = _organisation_rows(rows)
    return _gap(rule, subject, rows, ctx)


def run_rule(
    store: Store,
    rule: GapRule,
    ctx: GapContext,
    reported: Reported | None = None,
    rows_of: RowsOf | None = None,
) -> list[Gap]:
    parts = rule_parts(store, ctx, [rule])
    read = rows_of or full_rows(store)
    by_subject: dict[str, list[Row]] = {}
    for part in parts:  # one rule, several queries: in order
        for row in read(part):
            by_subject.setdefault(subject_of(rule.id, row), []).append(row)
    gaps = [g for s, group in by_subject.items() if (g := shape(rule, s, group, ctx)) is not None]
    if reported is not None and rule.id in PRESENCE:
        for g in (g for g in gaps if g.in_force):  # an upcoming duty does not hide today's fact
            reported |= {(g.subject, e) for r in by_subject[g.subject] for e in r["expired"]}
    return gaps


def _periods(store: Store, ctx: GapContext) -> list[dict[str, Any]]:
    days = sorted({r["days"] for r in store.read("gaps.review_periods")})
    return [{"days": d, "cutoff": ctx.as_of - dt.timedelta(days=d)} for d in days]


def _hidden(gap: Gap, rule: str, assets: set[str], articles: tuple[str, ...]) -> bool:
    return gap.rule == rule and (gap.asset or "") in assets and gap.article in articles


# Findings about one evidence item that a presence rule's "<kind> expired on ..." also says: the
# item expired, and (its control's newest item) it is past the control's review period.
ITEM_FINDINGS = ("evidence_expired", "evidence_stale")


def _expiry_reported(gap: Gap, reported: Reported) -> bool:
    """An expired item every system of which already has it reported by a presence rule."""
    return (gap.rule in ITEM_FINDINGS and bool(gap.systems)
            and all((s, gap.subject) in reported for s in gap.systems))  # fmt: skip


def suppress(gaps: list[Gap], reported: Reported | None = None) -> list[Gap]:
    """Drop the gaps a more specific finding for the same system already reports."""
    for s in SUPPRESSIONS:
        by = {g.asset for g in gaps if g.rule == s.by and g.asset}
        gaps = [g for g in gaps if not _hidden(g, s.hides, by, s.articles)]
    if reported:
        gaps = [g for g in gaps if not _expiry_reported(g, reported)]
    return gaps


def rank(gap: Gap, as_of: dt.date) -> tuple[Any, ...]:
    """In force first; then legal consequence (severity, then the rule's place in the table);
    then exposure (a system in production before development or planning; more days overdue
    first, upcoming ones soonest first); then the id, so the order is stable."""
    overdue = (as_of - gap.due).days if gap.due else 0  # upcoming: negative, sooner first
    return (not gap.in_force, SEVERITY_RANK[gap.severity], RULE_RANK[gap.rule],
            EXPOSURE.get(gap.lifecycle, 9), -overdue, gap.id)  # fmt: skip


@gc_paused
def find_gaps(
    store: Store,
    ctx: GapContext,
    *,
    rules: Iterable[str] | None = None,
    asset: str | None = None,
    severity: str | None = None,
    rows_of: RowsOf | None = None,
) -> list[Gap]:
    """All gaps, ranked (:func:`rank`); optionally only some rules, one asset or one severity.

    ``asset`` keeps the gaps about that AI system and about the evidence and datasets it uses.
    ``rows_of``: where the rows come from (default: every query in full)."""
    chosen = [RULES_BY_ID[r] for r in rules] if rules else list(RULES)
    if severity:
        chosen = [r for r in chosen if r.severity == severity]
    ids = {r.id for r in chosen}
    # a hidden rule needs the rule that hides it, even when that one is not listed
    extra = {s.by for s in SUPPRESSIONS if s.hides in ids} - ids
    if ids & set(ITEM_FINDINGS):
        extra |= set(PRESENCE) - ids
    reported: Reported = set()
    found = [g for r in chosen + [RULES_BY_ID[x] for x in sorted(extra)]
             for g in run_rule(store, r, ctx, reported, rows_of)]  # fmt: skip
    gaps = [g for g in suppress(found, reported) if g.rule in ids]
    if asset:
        gaps = [g for g in gaps if g.asset == asset or asset in g.systems]
    return sorted(gaps, key=lambda g: rank(g, ctx.as_of))
