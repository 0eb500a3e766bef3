"""The asset view: one AI system's trace, left to right.

asset → the articles it is subject to → the ISO/IEC 42001 elements mapped to each → the controls
that implement them (or address the article directly) → their evidence → the owners. Colours
follow :func:`graph.coverage.coverage`: an article is green (covered), amber (partial) or red
(uncovered); a control green (fresh evidence), amber (stale), red (no evidence) or grey (not
implemented); evidence green (fresh) or amber (stale). Every open gap about the system, its
controls or its evidence hangs off its subject as a red node.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Any

from graph.coverage import NotFound, coverage
from graph.crosswalk import coverage_of
from graph.gaps import Gap, GapContext
from graph.stores import Store
from graph.views.gap_marks import SUBJECT_KINDS, gap_legend, mark_gaps, open_gaps
from graph.views.model import (
    AMBER,
    ASSET,
    CLAUSE,
    GREEN,
    GREY,
    OWNER,
    RED,
    RELATION_COLOURS,
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
LEVEL = {"asset": 0, "article": 1, "clause": 2, "control": 3, "evidence": 4, "owner": 5}
VERDICT = {"covered": GREEN, "partial": AMBER, "uncovered": RED}
CONTROL_STATE = {"ok": GREEN, "stale": AMBER, "no_evidence": RED, "not_implemented": GREY}
UNIMPLEMENTED = (CLAUSE[0], RED[1])
DIRECT = "#37474f"


def _asset_node(a: Row) -> Node:
    fields = [
        ("role", a["role"]),
        ("risk tier", a["risk_tier"] or "unassigned"),
        ("Annex III area", a["annex_iii_area"]),
        ("Annex I product", a["annex_i"]),
        ("prohibited practice", a["prohibited_practice"]),
        ("lifecycle", a["lifecycle"]),
        ("in the EU", a["in_eu"]),
        ("owner", a["owner_name"] or a["owner"] or "none"),
    ]
    return Node(
        node_id("asset", a["id"]),
        short(a["name"], 40),
        tooltip(f"AI system {a['name']} ({a['id']})", fields),
        ASSET,
        LEVEL["asset"],
        font_colour="#ffffff",
        bold=True,
    )


def _related(ans: Row) -> list[str]:
    rows = [*ans["paths"], *ans["unimplemented_clauses"]]
    return sorted({f"ISO {r['clause']}" for r in rows if r["relation"] == "related"})


def _article_node(ans: Row) -> Node:
    art = ans["article"]
    fields = [
        ("verdict", ans["verdict"]),
        ("why", ans["reason"]),
        ("applies from", ans["applies_from"]),
        ("in force", ans["in_force"]),
        ("applicability", ans.get("applicability")),
        ("weakest link", ans["weakest_link"]),
        ("related, not drawn (informative, no coverage claimed)", _related(ans)),
    ]
    name = f"Art. {art['number']}" if str(art["number"]).isdigit() else str(art["number"])
    return Node(
        node_id("article", art["id"]),
        f"{name} {short(art['title'], 22)}",
        tooltip(f"AI Act {name} {art['title']}", fields),
        VERDICT.get(ans["verdict"], GREY),
        LEVEL["article"],
        dashed=not ans["in_force"],
    )


def _clause_node(number: str, title: str | None, *, implemented: bool) -> Node:
    note = None if implemented else "no control implements it for this system"
    return Node(
        node_id("clause", number),
        f"ISO {number}",
        tooltip(f"ISO/IEC 42001 {number} {title or ''}", [("gap", note)]),
        CLAUSE if implemented else UNIMPLEMENTED,
        LEVEL["clause"],
        dashed=not implemented,
    )


def _control_node(p: Row) -> Node:
    fields = [
        ("status", p["status"]),
        ("state for this system", p["state"].replace("_", " ")),
        ("review every", f"{p['review_every_days']} days" if p["review_every_days"] else None),
        ("owner", p["owner"] or "none"),
    ]
    return Node(
        node_id("control", p["control"]),
        f"{p['control']} {short(p['name'], 22)}",
        tooltip(f"Control {p['control']} {p['name']}", fields),
        CONTROL_STATE.get(p["state"], GREY),
        LEVEL["control"],
        dashed=p["state"] == "not_implemented",
    )


def _evidence_node(ev: Row) -> Node:
    fields = [
        ("kind", ev["kind"]),
        ("collected on", ev["collected_on"]),
        ("valid until", ev["valid_until"]),
        ("freshness", f"{ev['freshness']}: {ev['why']}"),
        ("uri", ev["uri"]),
        ("owner", ev["owner"] or "none"),
    ]
    return Node(
        node_id("evidence", ev["id"]),
        f"{ev['id']} {short(ev['title'], 22)}",
        tooltip(f"Evidence {ev['id']} {ev['title'] or ''}", fields),
        GREEN if ev["freshness"] == "fresh" else AMBER,
        LEVEL["evidence"],
    )


def _relation_edge(article: str, clause: str, row: Row) -> Edge:
    rel = row["relation"]
    where = f"¶{row['paragraph']}" if row["paragraph"] else "whole article"
    return Edge(
        article,
        clause,
        RELATION_COLOURS.get(rel, "#999999"),
        f"ISO {row['clause']}: {rel} ({coverage_of(rel)} coverage), {where}",
        width=2.0,
    )


def _add_path(g: ViewGraph, article: str, p: Row) -> None:
    control = g.add(_control_node(p))
    if p["via"] == "direct":
        g.link(Edge(article, control, DIRECT, "addresses the article directly", width=2.0))
    else:
        clause = g.add(_clause_node(p["clause"], p.get("clause_title"), implemented=True))
        g.link(_relation_edge(article, clause, p))
        g.link(Edge(clause, control, STRUCTURE_EDGE, "implemented by", width=1.5))
    for ev in p["evidence"]:
        colour = GREEN[1] if ev["freshness"] == "fresh" else AMBER[1]
        g.link(Edge(control, g.add(_evidence_node(ev)), colour, "supported by"))


def _add_article(g: ViewGraph, root: str, ans: Row) -> None:
    article = g.add(_article_node(ans))
    g.link(Edge(root, article, STRUCTURE_EDGE, "subject to", width=1.0))
    # `related` links claim no coverage: drawing them would double the picture for nothing,
    # so they are listed in the article's tooltip instead.
    for p in ans["paths"]:
        if p["relation"] != "related":
            _add_path(g, article, p)
    for u in ans["unimplemented_clauses"]:
        if u["relation"] == "related":
            continue
        clause = g.add(_clause_node(u["clause"], u["title"], implemented=False))
        g.link(_relation_edge(article, clause, u))


def _add_owners(g: ViewGraph, asset: Row, answers: list[Row]) -> None:
    owned: dict[str, set[str]] = defaultdict(set)  # owner -> node ids they own here
    if asset["owner"]:
        owned[asset["owner"]].add(node_id("asset", asset["id"]))
    for p in (p for ans in answers for p in ans["paths"] if p["relation"] != "related"):
        if p["owner"]:
            owned[p["owner"]].add(node_id("control", p["control"]))
        for ev in p["evidence"]:
            if ev["owner"]:
                owned[ev["owner"]].add(node_id("evidence", ev["id"]))
    for owner in sorted(owned):
        items = sorted(owned[owner])
        oid = g.add(
            Node(
                node_id("owner", owner),
                owner,
                tooltip(f"Owner {owner}", [("owns here", items)]),
                OWNER,
                LEVEL["owner"],
                shape="ellipse",
            )
        )
        for item in items:
            g.link(Edge(item, oid, OWNER[1], "owned by", width=0.8, arrow=False))


def _legend() -> list[LegendItem]:
    return [
        LegendItem("AI system", ASSET),
        LegendItem("article covered", GREEN),
        LegendItem("article partly covered", AMBER),
        LegendItem("article uncovered", RED),
        LegendItem("not yet in force", GREY, dashed=True),
        LegendItem("ISO element", CLAUSE),
        LegendItem("ISO element, no control", UNIMPLEMENTED, dashed=True),
        LegendItem("control / evidence fresh", GREEN),
        LegendItem("control / evidence stale", AMBER),
        LegendItem("control without evidence", RED),
        LegendItem("control not implemented", GREY, dashed=True),
        LegendItem("owner", OWNER),
        *gap_legend(),
        *(LegendItem(r, (c, c), "edge") for r, c in RELATION_COLOURS.items() if r != "related"),
        LegendItem("addresses directly", (DIRECT, DIRECT), "edge"),
    ]


def _concerns(gap: Gap, asset_id: str, g: ViewGraph) -> bool:
    if gap.asset is not None:
        return gap.asset == asset_id
    return any(node_id(kind, gap.subject) in g.nodes for kind in SUBJECT_KINDS)


def asset_graph(
    store: Store,
    asset_id: str,
    as_of: dt.date | None = None,
    *,
    gap_context: GapContext | None = None,
) -> ViewGraph:
    """The trace of one AI system as a graph; NotFound for an unknown id."""
    as_of = as_of or dt.date.today()
    found = store.read("coverage.asset", asset=asset_id)
    if not found:
        raise NotFound(f"no asset {asset_id!r} in the graph")
    asset = found[0]
    subject = store.read("coverage.subject_to", asset=asset_id)
    answers = [coverage(store, asset_id, s["article"], as_of) for s in subject]
    g = ViewGraph(f"{asset['name']} ({asset_id})", "", "hierarchical", _legend())
    root = g.add(_asset_node(asset))
    for ans in answers:
        _add_article(g, root, ans)
    _add_owners(g, asset, answers)
    gaps = [x for x in open_gaps(store, as_of, gap_context) if _concerns(x, asset_id, g)]
    mark_gaps(g, gaps, root)
    verdicts = Counter(a["verdict"] for a in answers)
    g.subtitle = (
        f"Trace as of {as_of}: {count(len(answers), 'applicable article')} ({verdicts['covered']} "
        f"covered, {verdicts['partial']} partial, {verdicts['uncovered']} uncovered); "
        f"{count(len(gaps), 'open gap')}"
    )
    return g
