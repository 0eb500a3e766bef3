"""Review metrics: gaps by severity, rule and owner; stale evidence; coverage verdict counts.

Evidence freshness uses :func:`graph.coverage.evidence_freshness` (one rule for the whole
product) with the strictest review period among the controls the item supports. An item
collected after the review day did not exist yet on that day: it is ``not_yet``; an item that
newer evidence replaces is ``superseded``; neither counts as stale. ``stale_evidence`` counts
stale and expired items (neither supports coverage on the day).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from typing import Any

from graph.coverage import evidence_freshness, trace
from graph.gap_rules import RED_LINE, SEVERITY_RANK
from graph.gaps import Gap
from graph.review.state import OrgState
from graph.stores import Store

Row = dict[str, Any]
NO_OWNER = "(no owner)"
VERDICTS = ("covered", "partial", "uncovered")


Key = tuple[str, str, tuple[str, ...]]  # (control, evidence kind, AI systems it concerns)


def _keys(ev: Row) -> list[Key]:
    return [(c, ev["kind"] or "", tuple(ev["concerns"])) for c in ev["supports"]]


def _newest(evidence: list[Row], as_of: dt.date) -> dict[Key, dt.date]:
    newest: dict[Key, dt.date] = {}
    for ev in evidence:
        day = ev["collected_on"]
        if day is not None and day <= as_of:
            for key in _keys(ev):
                newest[key] = max(day, newest.get(key, day))
    return newest


def _freshness(
    ev: Row, review_days: int | None, newest: dict[Key, dt.date], as_of: dt.date
) -> tuple[str, str]:
    day = ev["collected_on"]
    if day is None:
        return "stale", "no collection date"
    if day > as_of:
        return "not_yet", f"collected {day}, after {as_of}"
    if ev.get("file_status") in ("changed", "missing"):
        return evidence_freshness(ev, review_days, as_of)
    keys = _keys(ev)
    if keys and all(newest[k] > day for k in keys):
        return "superseded", f"collected {day}; newer evidence of its kind exists"
    return evidence_freshness(ev, review_days, as_of)


def evidence_status(state: OrgState, as_of: dt.date) -> list[Row]:
    """Each evidence item on ``as_of``: fresh, stale, superseded or not_yet, with why.

    Superseded: for every control it supports, newer evidence of the same kind about the same
    AI systems exists (a newer report replaces the old one; a due-diligence report does not
    replace an expired certificate). A changed or missing local file stays stale even when
    superseded (kept evidence must stay intact).
    """
    controls = state.by_id("Control")
    newest = _newest(state.nodes["Evidence"], as_of)
    out = []
    for ev in state.nodes["Evidence"]:
        periods = [controls[c]["review_every_days"] for c in ev["supports"]
                   if c in controls and controls[c]["review_every_days"]]  # fmt: skip
        fresh, why = _freshness(ev, min(periods) if periods else None, newest, as_of)
        out.append({"id": ev["id"], "title": ev["title"], "kind": ev["kind"],
                    "owner": ev["owner"], "freshness": fresh, "why": why})  # fmt: skip
    return out


def _ordered(counter: Counter[str], order: Iterable[str] = ()) -> dict[str, int]:
    first = [k for k in order if k in counter]
    return {k: counter[k] for k in first + sorted(set(counter) - set(first))}


def gap_metrics(gaps: list[Gap], evidence: list[Row]) -> Row:
    """Counts a reviewer reads first; every mapping is JSON-ready (str -> int)."""
    stale = [e for e in evidence if e["freshness"] in ("stale", "expired")]
    return {
        "gaps": len(gaps),
        "red_line": sum(g.severity in RED_LINE and g.in_force for g in gaps),  # as `gaps` gates
        "in_force": sum(g.in_force for g in gaps),
        "by_severity": _ordered(Counter(g.severity for g in gaps), SEVERITY_RANK),
        "by_rule": _ordered(Counter(g.rule for g in gaps)),
        "by_owner": _ordered(Counter(g.owner or NO_OWNER for g in gaps)),
        "evidence": len(evidence),
        "stale_evidence": len(stale),
        "stale_evidence_by_owner": _ordered(Counter(e["owner"] or NO_OWNER for e in stale)),
    }


def coverage_counts(store: Store, state: OrgState, as_of: dt.date) -> Row:
    """Verdict counts over every (AI system, applicable article) pair, per chapter and per tier.

    Costs the trace of every system (about six keyed queries per pair): about 1.5 s for the
    sample organisation. ``snapshot --no-coverage`` skips it on large inventories.
    """
    chapter = {(r["asset"], r["number"]): r["chapter"] or "Annexes" for r in state.subject_to}
    by_chapter: dict[str, Counter[str]] = {}
    by_tier: dict[str, Counter[str]] = {}
    for asset in state.nodes["Asset"]:
        tier = asset["risk_tier"] or "unassigned"
        for row in trace(store, asset["id"], as_of):
            ch = chapter.get((asset["id"], row["article"]), "?")
            by_chapter.setdefault(ch, Counter())[row["verdict"]] += 1
            by_tier.setdefault(tier, Counter())[row["verdict"]] += 1
    return {
        "by_chapter": {k: _ordered(v, VERDICTS) for k, v in sorted(by_chapter.items(), key=_roman)},
        "by_tier": {k: _ordered(v, VERDICTS) for k, v in sorted(by_tier.items())},
    }


ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50}


def _roman(item: tuple[str, Any]) -> tuple[int, str]:
    """Chapters in the Regulation's order (I, II, ... XIII), then anything else."""
    key = item[0]
    if not key or set(key) - set(ROMAN):
        return (10_000, key)
    values = [ROMAN[c] for c in key]
    total = sum(
        -v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values)
    )
    return (total, key)
