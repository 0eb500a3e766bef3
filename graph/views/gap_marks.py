"""Gaps drawn into a view: one red node per gap, hung off the node it is about."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable

from graph.coverage import article_key
from graph.crosswalk import articles
from graph.gaps import Gap, GapContext, find_gaps
from graph.stores import Store
from graph.views.model import GAP, RED, Edge, LegendItem, Node, ViewGraph, node_id, tooltip

DUE_LATER = ("#ffcdd2", GAP[0])
# Node kinds a gap's subject may name, tried in this order.
SUBJECT_KINDS = ("control", "evidence", "dataset", "asset")


def store_gap_context(store: Store, as_of: dt.date) -> GapContext:
    """A report context from the loaded catalog (dates per article); legal numbers default.

    The CLI passes the one `api.session.gap_context` builds from the shipped catalog instead, so
    a view shows exactly the gaps `clausegraph gaps` reports.
    """
    dates = {
        int(a["number"]): (a["applies_from"], a["applies_from_annex_i"])
        for a in articles(store)
        if isinstance(a["number"], int) and a["applies_from"] is not None
    }
    return GapContext(as_of=as_of, article_dates=dates)


def open_gaps(store: Store, as_of: dt.date, ctx: GapContext | None) -> list[Gap]:
    """Every gap on the day; a given context is moved to that day so the view and its gaps agree."""
    ctx = dataclasses.replace(ctx, as_of=as_of) if ctx else store_gap_context(store, as_of)
    return find_gaps(store, ctx)


def _anchor(graph: ViewGraph, gap: Gap, fallback: str) -> str:
    candidates = [node_id(kind, gap.subject) for kind in SUBJECT_KINDS]
    if gap.article:
        candidates.append(node_id("article", article_key(gap.article)))
    if gap.asset:
        candidates.append(node_id("asset", gap.asset))
    return next((c for c in candidates if c in graph.nodes), fallback)


def gap_node(gap: Gap, level: int | None) -> Node:
    fields = [
        ("severity", gap.severity),
        ("rule", gap.rule),
        ("subject", gap.subject),
        ("what", gap.message),
        ("due", gap.due),
        ("in force", gap.in_force),
        ("legal basis", gap.legal_basis),
        ("remediation", gap.remediation),
        ("route to", gap.route_to),
        ("owner", gap.owner),
    ]
    return Node(
        id=node_id("gap", gap.id),
        label=f"⚠ {gap.rule.replace('_', ' ')}" + (f" (Art. {gap.article})" if gap.article else ""),
        title=tooltip(f"GAP: {gap.title}", fields),
        colours=GAP if gap.in_force else DUE_LATER,
        level=level,
        dashed=not gap.in_force,
        font_colour="#ffffff" if gap.in_force else "#7f0000",
        bold=gap.severity in ("critical", "high"),
    )


def mark_gaps(graph: ViewGraph, gaps: Iterable[Gap], fallback: str) -> int:
    """Add each gap next to its subject (or the fallback node); returns how many were added."""
    added = 0
    for gap in sorted(gaps, key=lambda g: g.id):
        anchor = _anchor(graph, gap, fallback)
        level = graph.nodes[anchor].level
        graph.add(gap_node(gap, None if level is None else level + 1))
        graph.link(Edge(anchor, node_id("gap", gap.id), RED[1], "gap", dashed=True, width=2.0))
        added += 1
    return added


def gap_legend() -> list[LegendItem]:
    return [
        LegendItem("gap (in force)", GAP),
        LegendItem("gap (due later)", DUE_LATER, dashed=True),
    ]
