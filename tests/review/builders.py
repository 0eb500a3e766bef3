"""Hand-built review states: small snapshots whose differences are worked out by hand."""

from __future__ import annotations

import datetime as dt
from typing import Any

from graph.review.snapshots import Snapshot

Row = dict[str, Any]


def gap(gap_id: str, severity: str = "high", owner: str | None = None) -> Row:
    rule, subject = gap_id.split(":", 1)
    return {"id": gap_id, "rule": rule, "severity": severity, "title": rule, "subject": subject,
            "asset": None, "article": None, "owner": owner, "message": f"about {subject}",
            "legal_basis": "-", "remediation": "-", "route_to": "-", "due": None,
            "in_force": True}  # fmt: skip


def snapshot(
    label: str,
    as_of: dt.date,
    gaps: list[Row],
    *,
    evidence: dict[str, str] | None = None,
    owners: dict[tuple[str, str], str | None] | None = None,
    assets: dict[str, str] | None = None,
    coverage: dict[str, dict[str, int]] | None = None,
    inventory_hash: str = "0" * 64,
) -> Snapshot:
    """evidence: id -> freshness; owners: (entity, id) -> owner; assets: id -> lifecycle."""
    return Snapshot(
        label=label, as_of=as_of, taken_at=dt.datetime(2026, 12, 1, tzinfo=dt.UTC),
        inventory_hash=inventory_hash, counts={}, gaps=gaps,
        metrics={"gaps": len(gaps), "red_line": 0, "in_force": len(gaps), "by_severity": {},
                 "by_rule": {}, "by_owner": {}, "evidence": 0, "stale_evidence": 0,
                 "stale_evidence_by_owner": {}},
        assets=[{"id": a, "name": a.upper(), "lifecycle": lc, "risk_tier": "high",
                 "role": "deployer", "owner": None} for a, lc in (assets or {}).items()],
        owners=[{"entity": e, "id": i, "owner": o} for (e, i), o in (owners or {}).items()],
        evidence=[{"id": e, "title": e, "kind": "log", "owner": "ev.owner", "freshness": f,
                   "why": f"{e} is {f}"} for e, f in (evidence or {}).items()],
        coverage={"by_chapter": coverage, "by_tier": {}} if coverage is not None else None,
    )  # fmt: skip
