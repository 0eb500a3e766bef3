"""Owner digests (docs/remediation.md): per owner, what needs them now and soon."""

from __future__ import annotations

import datetime as dt
from typing import Any

from graph.findings import io
from graph.findings.model import ACTIVE, Finding
from graph.stores.base import Store

Row = dict[str, Any]
SECTIONS = ("overdue", "due_soon", "regressions", "acceptances_expiring", "evidence_expiring")


def _item(f: Finding) -> Row:
    return {"id": f.id, "severity": f.severity, "state": f.state, "due": f.due,
            "title": f.title}  # fmt: skip


def digest(store: Store, today: dt.date, within_days: int = 14, owner: str = "") -> list[Row]:
    """One entry per owner with something in a section, owners in id order: findings overdue,
    due within ``within_days``, reopened (regressions), acceptances ending in the window, and
    their evidence whose valid-until date falls in it."""
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
    for entry in out.values():
        entry["overdue"].sort(key=lambda r: (r["due"], r["id"]))
        entry["due_soon"].sort(key=lambda r: (r["due"], r["id"]))
    return [out[k] for k in sorted(out)]


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
                    when = item.get("due") or item.get("expires") or item.get("valid_until")
                    lines.append(f"- {safe_cells.md_cell(str(item['id']))}: "
                                 f"{safe_cells.md_cell(str(item['title']))} ({when})")  # fmt: skip
                lines.append("")
    if not entries:
        lines.append("Nothing overdue, due, expiring or reopened.")
    return "\n".join(lines) + "\n"
