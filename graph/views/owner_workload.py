"""The owner view: everything one person is accountable for, and what is wrong with it.

owner → the AI systems and controls they own → the datasets (under the owned system that uses
them) and evidence (under the owned control it supports) they own; items whose parent is not
theirs hang off the owner. Evidence is green when fresh and amber when stale, planned controls
are grey, and every open gap about their items — or routed to them — is a red node.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from graph.coverage import NotFound, evidence_freshness
from graph.gaps import Gap, GapContext
from graph.stores import Store
from graph.views.gap_marks import SUBJECT_KINDS, gap_legend, mark_gaps, open_gaps
from graph.views.model import (
    AMBER,
    ASSET,
    CONTROL,
    DATASET,
    GREEN,
    GREY,
    OWNER,
    STRUCTURE_EDGE,
    Edge,
    LegendItem,
    Node,
    ViewGraph,
    count,
    node_id,
    short,
    tooltip,
)

Row = dict[str, Any]
LEVEL = {"owner": 0, "asset": 1, "control": 1, "dataset": 2, "evidence": 2}


def _owner_node(o: Row) -> Node:
    email = next((x for x in o["links"] if x), None)
    return Node(
        node_id("owner", o["id"]),
        short(o["name"], 40),
        tooltip(f"Owner {o['name']} ({o['id']})", [("team", o["detail"]), ("email", email)]),
        OWNER,
        LEVEL["owner"],
        shape="ellipse",
        bold=True,
    )


def _item_node(r: Row) -> Node:
    kind = r["kind"]
    heading = {"asset": "AI system", "control": "Control", "dataset": "Dataset"}[kind]
    fields = {
        "asset": [("risk tier", r["detail"] or "unassigned"), ("uses datasets", r["links"])],
        "control": [
            ("status", r["detail"]),
            ("AI systems in scope", r["links"] or "organisation-wide"),
        ],
        "dataset": [("provenance", r["detail"] or "not recorded"), ("used by", r["links"])],
    }[kind]
    colours, dashed, white = {
        "asset": (ASSET, False, True),
        "control": (CONTROL, False, False) if r["detail"] == "implemented" else (GREY, True, False),
        "dataset": (DATASET, False, False),
    }[kind]
    return Node(
        node_id(kind, r["id"]),
        short(f"{r['id']} {r['name'] or ''}", 36),
        tooltip(f"{heading} {r['id']} {r['name'] or ''}", fields),
        colours,
        LEVEL[kind],
        dashed=dashed,
        font_colour="#ffffff" if white else "#1a1a1a",
    )


def _evidence_node(ev: Row, as_of: dt.date) -> Node:
    if ev["collected_on"] is None:
        fresh, why = "stale", "no collection date"
    else:
        fresh, why = evidence_freshness(ev, ev["review_days"], as_of)
    fields = [
        ("kind", ev["kind"]),
        ("collected on", ev["collected_on"]),
        ("valid until", ev["valid_until"]),
        ("freshness", f"{fresh}: {why}"),
        ("supports", ev["controls"]),
        ("concerns", ev["assets"]),
        ("uri", ev["uri"]),
    ]
    return Node(
        node_id("evidence", ev["id"]),
        short(f"{ev['id']} {ev['title'] or ''}", 36),
        tooltip(f"Evidence {ev['id']} {ev['title'] or ''}", fields),
        GREEN if fresh == "fresh" else AMBER,
        LEVEL["evidence"],
    )


def _parent(g: ViewGraph, kind: str, candidates: list[str], root: str) -> tuple[str, str]:
    """(parent node, edge title): an owned item it belongs under, else the owner."""
    for c in sorted(candidates):
        if node_id(kind, c) in g.nodes:
            return node_id(kind, c), "uses" if kind == "asset" else "supported by"
    return root, "owns"


def _legend() -> list[LegendItem]:
    return [
        LegendItem("owner", OWNER),
        LegendItem("AI system", ASSET),
        LegendItem("control", CONTROL),
        LegendItem("control not implemented", GREY, dashed=True),
        LegendItem("dataset", DATASET),
        LegendItem("evidence fresh", GREEN),
        LegendItem("evidence stale", AMBER),
        *gap_legend(),
        LegendItem("owns", (OWNER[1], OWNER[1]), "edge"),
        LegendItem("uses / supported by", (STRUCTURE_EDGE, STRUCTURE_EDGE), "edge"),
    ]


def _link(g: ViewGraph, parent: tuple[str, str], child: str) -> None:
    source, title = parent
    colour = OWNER[1] if title == "owns" else STRUCTURE_EDGE
    g.link(Edge(source, child, colour, title, width=1.5))


def _concerns(gap: Gap, owner_id: str, g: ViewGraph) -> bool:
    if gap.owner == owner_id:
        return True
    if any(node_id(kind, gap.subject) in g.nodes for kind in SUBJECT_KINDS):
        return True
    return gap.asset is not None and node_id("asset", gap.asset) in g.nodes


def owner_graph(
    store: Store,
    owner_id: str,
    as_of: dt.date | None = None,
    *,
    gap_context: GapContext | None = None,
) -> ViewGraph:
    """One owner's workload as a graph; NotFound for an unknown id."""
    as_of = as_of or dt.date.today()
    rows = sorted(store.read("views.owner_items", owner=owner_id), key=lambda r: r["id"])
    owner = next((r for r in rows if r["kind"] == "owner"), None)
    if owner is None:
        raise NotFound(f"no owner {owner_id!r} in the graph")
    g = ViewGraph(f"{owner['name']} ({owner_id})", "", "hierarchical", _legend())
    root = g.add(_owner_node(owner))
    items = {
        k: [r | {"links": sorted(set(r["links"]))} for r in rows if r["kind"] == k]
        for k in ("asset", "control", "dataset")
    }
    for r in items["asset"] + items["control"]:
        _link(g, (root, "owns"), g.add(_item_node(r)))
    for r in items["dataset"]:
        _link(g, _parent(g, "asset", r["links"], root), g.add(_item_node(r)))
    evidence = [
        ev | {"controls": sorted(set(ev["controls"])), "assets": sorted(set(ev["assets"]))}
        for ev in store.read("views.owner_evidence", owner=owner_id)
    ]
    for ev in evidence:
        node = g.add(_evidence_node(ev, as_of))
        _link(g, _parent(g, "control", ev["controls"], root), node)
    gaps = [x for x in open_gaps(store, as_of, gap_context) if _concerns(x, owner_id, g)]
    mark_gaps(g, gaps, root)
    red = sum(x.red_line for x in gaps)
    g.subtitle = (
        f"Workload as of {as_of}: {count(len(items['asset']), 'AI system')}, "
        f"{count(len(items['control']), 'control')}, {count(len(items['dataset']), 'dataset')}, "
        f"{count(len(evidence), 'evidence item')}; {count(len(gaps), 'open gap')} ({red} red-line)"
    )
    return g
