"""The crosswalk view: ISO/IEC 42001 clauses and Annex A controls <-> AI Act articles.

Edges run from the ISO element to the article and are coloured by the relation (equal, superset,
subset, intersect, related); their width shows the confidence. Articles that the crosswalk says
have no ISO counterpart are filled red and grouped under a red hub; articles with some
paragraphs without one get a dashed red border; articles that bind an operator but that nothing
maps to are grey, under a grey hub. Articles that bind no operator (definitions, authorities) are
left out and counted in the subtitle. Annex A controls hang off their objective (thin grey
edges) so each objective forms a cluster in the force layout.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any, NamedTuple

from graph.coverage import NotFound
from graph.crosswalk import OPERATOR_ROLES, articles, clauses, coverage_of, pairs
from graph.stores import Store
from graph.views.model import (
    ARTICLE,
    CLAUSE,
    CONTROL,
    GREY,
    OBJECTIVE,
    RELATION_COLOURS,
    STRUCTURE_EDGE,
    Edge,
    LegendItem,
    Node,
    ViewGraph,
    node_id,
    short,
    tooltip,
)

Row = dict[str, Any]
CONFIDENCE_WIDTH = {"high": 3.5, "medium": 2.0, "low": 1.0}
NO_COUNTERPART = ("#e53935", "#7f0000")
PART_COUNTERPART = (ARTICLE[0], "#c62828")
HUBS: dict[str, tuple[str, tuple[str, str], str]] = {
    "none": (
        "No ISO/IEC 42001 counterpart",
        NO_COUNTERPART,
        "the crosswalk states that ISO/IEC 42001 has nothing that covers these articles",
    ),
    "unmapped": (
        "Not mapped",
        GREY,
        "articles that bind an operator but that no ISO element maps to",
    ),
}


class Selection(NamedTuple):
    articles: list[Row]
    clauses: dict[str, Row]  # by number, in standard order
    pairs: list[Row]
    hidden: int  # articles left out because they bind no operator


def _under(number: str, objective: str) -> bool:
    return not objective or number == objective or number.startswith(objective + ".")


def _tier_ok(article: Row, tier: str) -> bool:
    return not tier or tier in article["tiers"] or "all" in article["tiers"]


def _parent_objective(number: str, kinds: dict[str, str]) -> str | None:
    parent = number.rsplit(".", 1)[0] if "." in number else ""
    return parent if kinds.get(parent) == "objective" else None


def _article_label(a: Row) -> str:
    name = f"Art. {a['number']}" if a["kind"] == "article" else str(a["number"])
    return f"{name}\n{short(a['title'], 30)}"


def _article_node(a: Row, mapped: int) -> Node:
    colours, dashed = ARTICLE, False
    if a["no_counterpart_reason"]:
        colours = NO_COUNTERPART
    elif a["no_counterpart_paragraphs"]:
        colours, dashed = PART_COUNTERPART, True
    elif not mapped:
        colours = GREY
    fields = [
        ("chapter", a["chapter"]),
        ("binds", a["binds"]),
        ("tiers", a["tiers"]),
        ("applies from", a["applies_from"]),
        ("ISO mappings", mapped),
        ("no ISO counterpart", a["no_counterpart_reason"]),
        ("paragraphs without ISO counterpart", a["no_counterpart_paragraphs"]),
    ]
    white = colours is NO_COUNTERPART
    return Node(
        id=node_id("article", a["id"]),
        label=_article_label(a),
        title=tooltip(f"AI Act {_article_label(a).replace(chr(10), ' — ')}", fields),
        colours=colours,
        shape="ellipse",
        dashed=dashed,
        font_colour="#ffffff" if white else "#1a1a1a",
    )


def _clause_node(c: Row, articles_of: list[str]) -> Node:
    colours = {"objective": OBJECTIVE, "annex_a_control": CONTROL}.get(c["kind"], CLAUSE)
    kind = {"objective": "Annex A objective", "annex_a_control": "Annex A control"}
    return Node(
        id=node_id("clause", c["number"]),
        label=f"{c['number']}\n{short(c['title'], 30)}",
        title=tooltip(
            f"ISO/IEC 42001 {c['number']} {c['title']}",
            [("kind", kind.get(c["kind"], "clause")), ("maps to", articles_of)],
        ),
        colours=colours,
        bold=c["kind"] == "objective",
    )


def _pair_edge(clause: str, article_id: str, rows: list[Row]) -> Edge:
    """One edge per (ISO element, article); rows come strongest claim first."""
    best = rows[0]
    claims = [
        f"{'¶' + r['paragraph'] if r['paragraph'] else 'whole article'}: {r['relation']}, "
        f"{r['confidence']} confidence"
        for r in rows
    ]
    fields = [
        ("coverage claimed", coverage_of(best["relation"])),
        ("claims", claims),
        ("rationale", " / ".join(dict.fromkeys(r["rationale"] for r in rows if r["rationale"]))),
        ("source", sorted({r["source"] for r in rows if r["source"]})),
    ]
    return Edge(
        source=node_id("clause", clause),
        target=article_id,
        colour=RELATION_COLOURS.get(best["relation"], "#999999"),
        title=tooltip(f"ISO {clause} → Art. {best['article']}: {best['relation']}", fields),
        dashed=best["relation"] == "related",
        width=max(CONFIDENCE_WIDTH.get(r["confidence"], 1.0) for r in rows),
    )


def _hub(kind: str) -> Node:
    text, colours, note = HUBS[kind]
    return Node(
        node_id("hub", kind),
        text,
        tooltip(text, [("means", note)]),
        colours,
        shape="box",
        bold=True,
        font_colour="#ffffff" if kind == "none" else "#1a1a1a",
    )


def _legend() -> list[LegendItem]:
    nodes = [
        LegendItem("ISO clause", CLAUSE),
        LegendItem("Annex A objective", OBJECTIVE),
        LegendItem("Annex A control", CONTROL),
        LegendItem("AI Act article / annex", ARTICLE),
        LegendItem("article with no ISO counterpart", NO_COUNTERPART),
        LegendItem("some paragraphs without ISO counterpart", PART_COUNTERPART, dashed=True),
        LegendItem("operator article nothing maps to", GREY),
    ]
    edges = [
        LegendItem(
            f"{rel} ({coverage_of(rel).replace('none', 'no')} coverage)",
            (colour, colour),
            "edge",
            rel == "related",
        )
        for rel, colour in RELATION_COLOURS.items()
    ]
    return nodes + edges + [LegendItem("part of objective / group", (STRUCTURE_EDGE,) * 2, "edge")]


def _unmapped_kind(a: Row) -> str | None:
    """'none' (the crosswalk says ISO has no counterpart), 'unmapped' (binds an operator, but
    nothing maps to it) or None (binds no operator: definitions, authorities — not drawn)."""
    if a["no_counterpart_reason"]:
        return "none"
    return "unmapped" if OPERATOR_ROLES & set(a["binds"]) else None


def _selection(store: Store, chapter: str, objective: str, tier: str) -> Selection:
    """What passes the filters; NotFound when a filter names nothing in the graph."""
    arts = [a for a in articles(store, chapter) if _tier_ok(a, tier)]
    if not arts:
        raise NotFound(f"no AI Act articles for chapter {chapter!r} and tier {tier!r}")
    all_clauses = {c["number"]: c for c in clauses(store)}
    if objective and objective not in all_clauses:
        raise NotFound(f"no ISO/IEC 42001 clause or objective {objective!r} in the graph")
    chosen = {n: c for n, c in all_clauses.items() if _under(n, objective)}
    numbers = {str(a["number"]) for a in arts}
    mapped = [p for p in pairs(store) if str(p["article"]) in numbers and p["clause"] in chosen]
    reached = {str(p["article"]) for p in mapped}
    if objective:  # the objective's elements, mapped or not, and only the articles they reach
        return Selection([a for a in arts if str(a["number"]) in reached], chosen, mapped, 0)
    kinds = {n: c["kind"] for n, c in all_clauses.items()}
    keep = {p["clause"] for p in mapped}
    keep |= {o for n in keep if (o := _parent_objective(n, kinds))}
    shown = [a for a in arts if str(a["number"]) in reached or _unmapped_kind(a)]
    return Selection(
        shown, {n: c for n, c in chosen.items() if n in keep}, mapped, len(arts) - len(shown)
    )


def _subtitle(sel: Selection, pairs_drawn: int, filters: list[str]) -> str:
    text = f"{len(sel.clauses)} ISO elements, {len(sel.articles)} articles, {pairs_drawn} pairs"
    if sel.hidden:
        text += f"; {sel.hidden} articles that bind no operator are not drawn"
    return text + (f" ({', '.join(filters)})" if filters else "")


def _add_articles(g: ViewGraph, sel: Selection, per_article: Counter[str]) -> None:
    for a in sel.articles:
        aid = g.add(_article_node(a, per_article[str(a["number"])]))
        kind = None if per_article[str(a["number"])] else _unmapped_kind(a)
        if kind:  # tie unmapped articles to a hub, so they cluster instead of drifting apart
            hub = g.add(_hub(kind))
            g.link(Edge(hub, aid, STRUCTURE_EDGE, HUBS[kind][0], dashed=True, arrow=False))


def _add_clauses(g: ViewGraph, sel: Selection, drawn: list[tuple[str, str]]) -> None:
    kinds = {n: c["kind"] for n, c in sel.clauses.items()}
    for number, c in sel.clauses.items():
        g.add(_clause_node(c, [f"Art. {a}" for (cl, a) in drawn if cl == number]))
    for number in sel.clauses:
        if parent := _parent_objective(number, kinds):
            part_of = Edge(node_id("clause", number), node_id("clause", parent), STRUCTURE_EDGE,
                           "part of", width=1.0, arrow=False)  # fmt: skip
            g.link(part_of)


def crosswalk_graph(
    store: Store, *, chapter: str = "", objective: str = "", tier: str = ""
) -> ViewGraph:
    """The crosswalk as a graph; filters narrow it (see :func:`graph.views.crosswalk_view`)."""
    sel = _selection(store, chapter, objective, tier)
    by_pair: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for p in sel.pairs:
        by_pair[(p["clause"], str(p["article"]))].append(p)
    filters = [
        f"{k} {v}" for k, v in (("chapter", chapter), ("objective", objective), ("tier", tier)) if v
    ]
    g = ViewGraph(
        "ISO/IEC 42001 ↔ EU AI Act crosswalk",
        _subtitle(sel, len(by_pair), filters),
        "force",
        _legend(),
    )
    _add_clauses(g, sel, sorted(by_pair, key=_pair_key))
    _add_articles(g, sel, Counter(article for (_, article) in by_pair))
    ids = {str(a["number"]): node_id("article", a["id"]) for a in sel.articles}
    for clause, article in sorted(by_pair, key=_pair_key):
        g.link(_pair_edge(clause, ids[article], _strongest_first(by_pair[(clause, article)])))
    return g


def _pair_key(pair: tuple[str, str]) -> tuple[str, int, str]:
    clause, article = pair
    return (clause, int(article), "") if article.isdigit() else (clause, 10_000, article)


def _strongest_first(rows: list[Row]) -> list[Row]:
    rank = {"equal": 0, "superset": 1, "subset": 2, "intersect": 3, "related": 4}
    return sorted(rows, key=lambda r: (rank.get(r["relation"], 9), r["paragraph"] or ""))
