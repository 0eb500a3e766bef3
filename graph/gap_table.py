"""The gap report as people read it: per-article rows folded per system, in force first.

JSON keeps one row per gap with its stable id (the machine contract); the table and Markdown
views fold the many "no control addresses Art. N" rows of one system into one row naming the
articles, so substantive findings are not pushed down the page, and show which AI systems each
row concerns and whether it is in force. The detail is one command away
(``clausegraph gaps --rule article_without_control --asset X``).
"""

from __future__ import annotations

from typing import Any

from graph.gaps import Gap

FOLDED = "article_without_control"
COLUMNS = ("severity", "rule", "systems", "subject", "owner", "message", "due", "in_force")


def _row(g: Gap) -> dict[str, Any]:
    return {"severity": g.severity, "rule": g.rule, "systems": ", ".join(g.systems) or g.asset,
            "subject": g.subject, "owner": g.owner, "message": g.message, "due": g.due,
            "in_force": "yes" if g.in_force else "upcoming"}  # fmt: skip


def _act_order(article: str) -> tuple[bool, int, str]:
    """Articles in the Act's order (8 before 16), annexes after them."""
    return (not article.isdigit(), int(article) if article.isdigit() else 0, article)


def _folded(group: list[Gap]) -> dict[str, Any]:
    first = group[0]
    ordered = sorted(group, key=lambda g: _act_order(g.article or ""))
    numbers = ", ".join(g.article or "?" for g in ordered)
    row = _row(first)
    row["subject"] = first.asset
    row["message"] = (
        f"{len(group)} applicable articles have no control: {numbers} "
        f"(detail: clausegraph gaps --rule {FOLDED} --asset {first.asset})"
    )
    row["due"] = min((g.due for g in group if g.due), default=None)
    return row


def table_rows(gaps: list[Gap]) -> list[dict[str, Any]]:
    """Rows for the table and Markdown views, in the report's order (first gap of a fold sets
    its place). A single per-article gap stays as it is."""
    groups: dict[tuple[str, bool], list[Gap]] = {}
    for g in gaps:
        if g.rule == FOLDED and g.asset:
            groups.setdefault((g.asset, g.in_force), []).append(g)
    out, done = [], set()
    for g in gaps:
        key = (g.asset or "", g.in_force)
        if g.rule != FOLDED or not g.asset or len(groups[key]) == 1:
            out.append(_row(g))
        elif key not in done:
            done.add(key)
            out.append(_folded(groups[key]))
    return out
