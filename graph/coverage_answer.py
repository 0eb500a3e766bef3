"""The coverage answer assembled from the rows read for one pair: paths, freshness, verdict,
weakest link, owners. No store access: graph/coverage.py reads the rows per call, the read model
(graph/readmodel/cells.py) set-based, and both assemble them here, so they cannot disagree.
graph/coverage.py says what the verdicts and freshness states mean.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from graph.applicability import ArticleFacts, AssetFacts, excluded, why_not
from graph.crosswalk_relations import coverage_of
from graph.evidence_policy import unverifiable
from graph.incident_clock import NOTIFICATION_ARTICLE, Clock, clock

Row = dict[str, Any]


def evidence_freshness(ev: Row, review_days: int | None, as_of: dt.date) -> tuple[str, str]:
    """(freshness, why) for one evidence item on the day ``as_of``; see the module docstring."""
    if ev.get("file_status") in ("changed", "missing"):
        return "stale", f"file {ev['file_status']} since it was hashed"
    if ev["valid_until"] is not None and ev["valid_until"] < as_of:
        return "expired", f"expired on {ev['valid_until']}"
    if ev["collected_on"] > as_of:
        return "future", f"collected {ev['collected_on']}, after {as_of}"
    if review_days and ev["collected_on"] < as_of - dt.timedelta(days=review_days):
        return "stale", f"collected {ev['collected_on']}, older than the {review_days}-day review"
    missing = unverifiable(ev.get("kind") or "", ev.get("sha256"), ev.get("version"))
    if missing is not None:
        return "unverifiable", f"unverifiable: {missing}"
    return "fresh", f"collected {ev['collected_on']}"


# The control's state for the system, from its best evidence (earlier = better).
EVIDENCE_STATES = ("fresh", "unverifiable", "stale", "expired", "future")


STATE_TEXT = {
    "no_evidence": "has no evidence for this system",
    "unverifiable": "has only unverifiable evidence",
    "stale": "has only stale evidence",
    "expired": "has only expired evidence",
    "future": "has no evidence collected by the as-of date",
}


def _control_state(path: Row) -> str:
    if path["status"] != "implemented":
        return "not_implemented"
    if not path["evidence"]:
        return "no_evidence"
    best = min(EVIDENCE_STATES.index(e["freshness"]) for e in path["evidence"])
    return "ok" if best == 0 else EVIDENCE_STATES[best]


def _by_clause(row: Row) -> tuple[str, str, bool, str]:
    """ORDER BY clause, paragraph, control (nulls last), as the Cypher sort would give."""
    return row["clause"], row["paragraph"], row["control"] is None, row["control"] or ""


def paths_from(
    found: list[Row], evidence_of: Callable[[list[str]], list[Row]], as_of: dt.date
) -> tuple[list[Row], list[Row]]:
    """(paths, unimplemented clauses) from the ``coverage.controls`` rows of one pair and the
    evidence of the controls on them (``evidence_of``: ordered as :func:`_evidence` orders)."""
    direct = sorted((r for r in found if r["clause"] == ""), key=lambda r: r["control"])
    via = sorted((r for r in found if r["clause"] != ""), key=_by_clause)
    keep = ("control", "name", "status", "review_every_days", "owner")
    paths = [{**{k: d[k] for k in keep}, "via": "direct", "clause": None, "relation": "direct",
              "paragraph": None, "coverage": "full"} for d in direct]  # fmt: skip
    paths += [{**v, "via": "clause", "paragraph": v["paragraph"] or None,
               "coverage": coverage_of(v["relation"])} for v in via if v["control"]]  # fmt: skip
    unimplemented = [
        {"clause": v["clause"], "title": v["clause_title"], "relation": v["relation"],
         "paragraph": v["paragraph"] or None}
        for v in via if v["control"] is None
    ]  # fmt: skip
    controls = sorted({p["control"] for p in paths})
    evidence = evidence_of(controls)
    for p in paths:
        p["evidence"] = []
        for ev in (e for e in evidence if e["control"] == p["control"]):
            fresh, why = evidence_freshness(ev, p["review_every_days"], as_of)
            p["evidence"].append({k: v for k, v in ev.items() if k != "control"} | {
                "freshness": fresh, "why": why})  # fmt: skip
        p["state"] = _control_state(p)
    return paths, unimplemented


def _verdict(paths: list[Row], unimplemented: list[Row], number: str) -> tuple[str, str, str]:
    """(verdict, reason, weakest link)."""
    claims = [p for p in paths if p["coverage"] in ("full", "partial")]
    if any(p["coverage"] == "full" and p["state"] == "ok" for p in claims):
        best = next(p for p in claims if p["coverage"] == "full" and p["state"] == "ok")
        return (
            "covered",
            f"control {best['control']} covers Art. {number} with fresh evidence",
            (_weakest_evidence(best)),
        )
    working = [p for p in claims if p["state"] != "not_implemented"]
    if working:
        best = min(working, key=lambda p: (p["coverage"] != "full", p["state"] != "ok"))
        weak = _weak_link(best)
        if best["coverage"] == "full":
            return "partial", weak, weak
        rel = f"ISO {best['clause']} is only {best['relation']} to Art. {number}"
        return "partial", rel, rel if best["state"] == "ok" else f"{rel}; {weak}"
    if unimplemented:
        clauses = ", ".join(sorted({u["clause"] for u in unimplemented}))
        why = f"ISO {clauses} map to Art. {number} but no control implements them for this system"
        return "uncovered", why, why
    why = f"no implemented control addresses Art. {number}, directly or via ISO/IEC 42001"
    return "uncovered", why, why


def _weak_link(path: Row) -> str:
    """What keeps a working control from full support: its best evidence and why."""
    text = f"control {path['control']} {STATE_TEXT.get(path['state'], 'has fresh evidence')}"
    best = [e for e in path["evidence"] if e["freshness"] == path["state"]]
    if best:
        e = max(best, key=lambda e: e["collected_on"])
        text += f" (evidence {e['id']}: {e['why']})"
    return text


def _weakest_evidence(path: Row) -> str:
    fresh = [e for e in path["evidence"] if e["freshness"] == "fresh"]
    oldest = min(fresh, key=lambda e: e["collected_on"])
    return f"evidence {oldest['id']} ({oldest['why']})"


def asset_facts(a: Row) -> AssetFacts:
    """The applicability facts of a ``coverage.subject`` row."""
    return AssetFacts(
        a["id"], a["role"], a["risk_tier"], a["lifecycle"], bool(a["in_eu"]),
        bool(a["annex_i"]), a["annex_iii_area"], bool(a["public_body"]), a["eu_market"],
        a["eu_deployer"], a["eu_output"], bool(a["rebranded_or_modified"]),
        a["prohibited_practice"], a["transparency_use"], own_use=bool(a.get("own_use")),
    )  # fmt: skip


def why_no_articles(a: Row) -> str:
    """Why a system is subject to no article at all (an empty trace), in the rule's terms."""
    facts, who = asset_facts(a), a["name"] or a["id"]
    if (whole := excluded(facts, who)) is not None:
        return whole
    tier = facts.risk_tier or "no risk tier (assign one)"
    return f"no article binds {who} as {facts.role.replace('_', ' ')} with {tier}"


def _why_not(a: Row, art: Row) -> str:
    """The reason an asset is not subject to an article, from the rule that excludes it."""
    if art["kind"] != "article":
        return (f"{art['number']} is an annex, not an obligation of its own: it binds through the "
                f"articles that refer to it ({art['title']}); ask for those")  # fmt: skip
    facts = asset_facts(a)
    article = ArticleFacts(
        art["id"], int(art["number"]), art["title"], frozenset(art["binds"] or ()),
        frozenset(art["tiers"] or ()), art["applies_from"], not_standing=art["not_standing"],
        condition_basis=art["condition"] or "",
    )  # fmt: skip
    return why_not(facts, article, a["name"])


def _dated(found: Row, date_reading: str) -> tuple[dt.date, str | None]:
    """(date the article applies from for the system, which reading set it if they differ)."""
    practical, literal = (
        found["applies_from"],
        found["applies_from_literal"] or found["applies_from"],
    )
    if practical == literal:
        return practical, None
    if date_reading == "literal":
        return literal, f"literal reading: Art. 113 date {literal} (practical: {practical})"
    return (
        practical,
        f"practical reading: the system's high-risk date {practical} (literal: {literal})",
    )


_EDGE = ("reason", "applies_from", "applies_from_literal", "subject_to")


def not_applicable(found: Row, art: Row, as_of: dt.date) -> Row:
    a = {k: v for k, v in found.items() if k not in _EDGE}
    answer: Row = {"asset": a, "article": {k: art[k] for k in ("id", "number", "title")},
                   "as_of": as_of}  # fmt: skip
    reason = _why_not(a, art)
    return answer | {"verdict": "not_applicable", "reason": reason, "applies_from": None,
                     "dated_by": None, "in_force": False, "paths": [],
                     "unimplemented_clauses": [], "owners": _owners(a, []),
                     "weakest_link": None, "incidents": []}  # fmt: skip


def answer_from(
    found: Row,
    art: Row,
    paths_of: Callable[[], tuple[list[Row], list[Row]]],
    as_of: dt.date,
    date_reading: str,
    incidents: Sequence[Row] = (),
) -> Row:
    """The answer for a pair the system is subject to, from its ``coverage.subject`` and
    ``coverage.article`` rows, its paths and, for Art. 73, its serious incidents
    (``coverage.incidents``): shared by :func:`compute` and the read model."""
    edge = _EDGE
    a = {k: v for k, v in found.items() if k not in edge}
    answer: Row = {"asset": a, "article": {k: art[k] for k in ("id", "number", "title")},
                   "as_of": as_of}  # fmt: skip
    paths, unimplemented = paths_of()
    verdict, reason, weakest = _verdict(paths, unimplemented, art["number"])
    applies_from, dated_by = _dated(found, date_reading)
    clocks = _clocks(art["id"], incidents, applies_from, as_of)
    verdict, reason, weakest = _notified(clocks, verdict, reason, weakest)
    return answer | {
        "verdict": verdict, "reason": reason, "applicability": found["reason"],
        "applies_from": applies_from, "dated_by": dated_by, "in_force": applies_from <= as_of,
        "paths": paths,
        "unimplemented_clauses": unimplemented, "owners": _owners(a, paths),
        "weakest_link": weakest, "incidents": [c.as_row() for c in clocks],
    }  # fmt: skip


def _clocks(article: str, incidents: Sequence[Row], bound: dt.date, as_of: dt.date) -> list[Clock]:
    """Art. 73 only: each serious incident's notification clock, Art. 73 binding from ``bound``."""
    if article != NOTIFICATION_ARTICLE:
        return []
    return [clock(i["id"], i["severity"], i["aware_on"], i["reported_on"], bound, as_of)
            for i in sorted(incidents, key=lambda i: i["id"])]  # fmt: skip


def _notified(clocks: list[Clock], verdict: str, reason: str, weakest: str) -> tuple[str, str, str]:
    """A control cannot cover Art. 73 for a system whose incident was notified late or not at
    all: the article is at most partial, with that incident as the weakest link."""
    breached = [c for c in clocks if c.breached]
    if not breached or verdict == "uncovered":
        return verdict, reason, weakest
    worst = min(breached, key=lambda c: (c.deadline or c.aware_on, c.incident))
    link = f"incident {worst.incident}: {worst.text()}"
    if verdict == "covered":
        return "partial", f"{reason}, but {link}", link
    return verdict, reason, link


def _owners(asset: Row, paths: list[Row]) -> list[Row]:
    out = [{"id": asset["owner"], "of": f"asset {asset['id']}"}] if asset["owner"] else []
    for p in paths:
        if p["owner"]:
            out.append({"id": p["owner"], "of": f"control {p['control']}"})
        out += [
            {"id": e["owner"], "of": f"evidence {e['id']}"} for e in p["evidence"] if e["owner"]
        ]
    unique: dict[tuple[str, str], Row] = {}
    for o in out:
        unique.setdefault((o["id"], o["of"]), o)
    return list(unique.values())
