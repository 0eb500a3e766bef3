"""Remediation metrics from the findings (docs/remediation.md): what is open where, what is
late, how fast findings close, the exposure still carried, regressions, expiring acceptances."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from typing import Any

from graph.findings.flow import closure_by_month
from graph.findings.model import ACTIVE, CLOSED
from graph.gap_rules import RED_LINE, SEVERITY_RANK
from graph.stores.base import Store

Row = dict[str, Any]


def _counts(c: Counter[str], order: dict[str, int] | None = None) -> list[Row]:
    keys = sorted(c, key=lambda k: (order or {}).get(k, 9)) if order else sorted(c)
    return [{"key": k, "count": c[k]} for k in keys]


def _close_times(rows: list[Row]) -> list[Row]:
    days: dict[str, list[int]] = {}
    for r in rows:
        if r["state"] in CLOSED and r["resolved_at"] and r["opened_at"]:
            days.setdefault(r["severity"], []).append((r["resolved_at"] - r["opened_at"]).days)
    return [{"severity": s, "closed": len(d), "mean_days": round(statistics.fmean(d), 1),
             "median_days": statistics.median(d)}
            for s, d in sorted(days.items(), key=lambda x: SEVERITY_RANK[x[0]])]  # fmt: skip


def remediation_metrics(store: Store, today: dt.date, expiring_within: int = 30) -> Row:
    """Counts over the findings as they stand on ``today``.

    ``exposure_days``: the red-line (critical/high) findings still to act on times the days
    each has been open. ``closed_by_month``: findings resolved or verified now, by the month of
    their (latest) resolution; ``closure_by_month``: every transition, replayed from the change
    log (graph/findings/flow.py). Time to close: opened (or reopened) to resolved, in days."""
    rows = store.read("findings.metric_rows")
    active = [r for r in rows if r["state"] in ACTIVE]
    soon = today + dt.timedelta(days=expiring_within)
    expiring = sorted(
        ({"id": r["id"], "expires": r["expires"], "approver": r["approver"]} for r in rows
         if r["state"] == "accepted" and r["expires"] and r["expires"] <= soon),
        key=lambda x: (x["expires"], x["id"]),
    )  # fmt: skip
    red = [r for r in active if r["severity"] in RED_LINE]
    late = [r for r in active if r["due"] < today]
    closed = [r for r in rows if r["state"] in CLOSED and r["resolved_at"]]
    return {
        "as_of": today,
        "findings": len(rows),
        "by_state": _counts(Counter(r["state"] for r in rows)),
        "open_by_severity": _counts(Counter(r["severity"] for r in active), SEVERITY_RANK),
        "open_by_owner": _counts(Counter(r["assignee"] for r in active)),
        "open_by_rule": _counts(Counter(r["rule"] for r in active)),
        "overdue": len(late),
        "overdue_by_severity": _counts(Counter(r["severity"] for r in late), SEVERITY_RANK),
        "exposure_days": sum((today - r["opened_at"]).days for r in red),
        "closed_by_month": _counts(Counter(r["resolved_at"].strftime("%Y-%m") for r in closed)),
        "closure_by_month": closure_by_month(store),
        "time_to_close": _close_times(rows),
        "regressions": sum(1 for r in rows if (r["reopen_count"] or 0) > 0),
        "reopened_total": sum(r["reopen_count"] or 0 for r in rows),
        "acceptances_expiring": expiring,
    }
