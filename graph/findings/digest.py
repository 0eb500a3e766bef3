"""Owner digests (docs/remediation.md): per owner, what needs them now and soon."""

from __future__ import annotations

import datetime as dt
from typing import Any

from graph.findings import io
from graph.findings.model import ACTIVE, Finding
from graph.stores.base import Store

Row = dict[str, Any]
SECTIONS = (
    "overdue",
    "due_soon",
    "regressions",
    "acceptances_expiring",
    "evidence_expiring",
    "control_reviews_due",
)


def _item(f: Finding) -> Row:
    return {"id": f.id, "severity": f.severity, "state": f.state, "due": f.due,
            "title": f.title}  # fmt: skip


def digest(store: Store, today: dt.date, within_days: int = 14, owner: str = "") -> list[Row]:
    """One entry per owner with something in a section, owners in id order: findings overdue,
    due within ``within_days``, reopened (regressions), acceptances ending in the window, their
    evidence whose valid-until date falls in it, and their controls whose newest evidence (per
    AI system) reaches its review period in it: the renewal that keeps it from going stale."""
    end = today + dt.timedelta(days=within_days)
    out: dict[str, Row] = {}

    def add(who: str, section: str, item: Row) -> None:
        entry = out.setdefault(who, {"owner": who, **{s: [] for s in SECTIONS}})
        entry[section].append(item)

    for f in io.matching(store, (*sorted(ACTIVE), "accepted"), owner, "", None):
        if f.state in ACTIVE and f.due < today:
            add(f.assignee, "overdue", _item(f))
        elif f.state in ACTIVE and f.due <= end:
            add(f.assignee, "due_soon", _item(f))
        if f.state == "reopened":
            add(f.assignee, "regressions", _item(f) | {"reopen_count": f.reopen_count})
        if f.state == "accepted" and f.expires is not None and f.expires <= end:
            extra = {"expires": f.expires, "approver": f.approver}
            add(f.assignee, "acceptances_expiring", _item(f) | extra)
    for e in store.read("findings.evidence_expiring", from_day=today, to_day=end, owner=owner):
        add(e["owner"], "evidence_expiring", {"id": e["id"], "title": e["title"],
                                              "valid_until": e["valid_until"]})  # fmt: skip
    for r in _reviews_due(store, today, end, owner):
        add(r["owner"], "control_reviews_due", r)
    for entry in out.values():
        entry["control_reviews_due"].sort(key=lambda r: (r["review_due"], r["id"], r["asset"]))
        entry["overdue"].sort(key=lambda r: (r["due"], r["id"]))
        entry["due_soon"].sort(key=lambda r: (r["due"], r["id"]))
    return [out[k] for k in sorted(out)]


def _reviews_due(store: Store, today: dt.date, end: dt.date, owner: str) -> list[Row]:
    """Controls falling due for review from ``today`` to ``end``: newest + days in the window."""
    days = sorted({r["days"] for r in store.read("gaps.review_periods")})
    periods = [{"days": d, "low": today - dt.timedelta(days=d), "high": end - dt.timedelta(days=d)}
               for d in days]  # fmt: skip
    if not periods:
        return []
    return [{"id": r["control"], "title": r["title"], "asset": r["asset"],
             "newest": r["newest"], "review_due": r["newest"] + dt.timedelta(days=r["days"]),
             "owner": r["owner"]}
            for r in store.read("findings.control_reviews_due", periods=periods,
                                owner=owner)]  # fmt: skip


def markdown(entries: list[Row], today: dt.date, within_days: int) -> str:
    """The digests as Markdown, one section per owner (what a mail to each would say)."""
    from graph import safe_cells

    lines = [f"# Remediation digest, {today} (next {within_days} days)", ""]
    for entry in entries:
        lines += [f"## {safe_cells.md_cell(entry['owner'])}", ""]
        for section in SECTIONS:
            if entry[section]:
                lines.append(f"**{section.replace('_', ' ')}** ({len(entry[section])})")
                lines.append("")
                for item in entry[section]:
                    when = (
                        item.get("due")
                        or item.get("expires")
                        or item.get("valid_until")
                        or item.get("review_due")
                    )
                    where = f" for {item['asset']}" if item.get("asset") else ""
                    ref = safe_cells.md_cell(str(item["id"]) + where)
                    lines.append(f"- {ref}: {safe_cells.md_cell(str(item['title']))} ({when})")
                lines.append("")
    if not entries:
        lines.append("Nothing overdue, due, expiring or reopened.")
    return "\n".join(lines) + "\n"
