"""The views on the sample organisation: what they contain, offline HTML, determinism, ids."""

from __future__ import annotations

import csv
import re
from collections.abc import Callable

import pytest

from api.session import Clausegraph
from graph.coverage import NotFound
from graph.crosswalk import articles, pairs
from graph.stores import Store
from graph.views import (
    ViewGraph,
    asset_graph,
    asset_view,
    crosswalk_graph,
    crosswalk_view,
    owner_graph,
    owner_view,
)
from graph.views.asset_trace import VERDICT
from graph.views.crosswalk_map import NO_COUNTERPART
from graph.views.gap_marks import DUE_LATER
from graph.views.model import AMBER, GAP, GREEN, RELATION_COLOURS
from loaders.inventory import load_inventory
from tests.views.conftest import ACME, AS_OF

REMOTE_SCRIPT = re.compile(r"<script[^>]*\ssrc\s*=\s*[\"']?(https?:)?//", re.I)
REMOTE_STYLESHEET = re.compile(r"<link[^>]*\shref\s*=\s*[\"']?(https?:)?//", re.I)

VIEWS: dict[str, Callable[[Store], str]] = {
    "crosswalk": lambda s: crosswalk_view(s),
    "crosswalk-filtered": lambda s: crosswalk_view(s, chapter="III", tier="high"),
    "asset": lambda s: asset_view(s, "cv-screening", AS_OF),
    "owner": lambda s: owner_view(s, "clara.weber", AS_OF),
}


def _kind(g: ViewGraph, kind: str) -> set[str]:
    return {n.split(":", 1)[1] for n in g.nodes if n.startswith(kind + ":")}


@pytest.mark.parametrize("name", sorted(VIEWS))
def test_html_is_self_contained(acme: Store, name: str) -> None:
    page = VIEWS[name](acme)
    assert not REMOTE_SCRIPT.search(page)
    assert not REMOTE_STYLESHEET.search(page)
    assert "bootstrap" not in page.lower()
    assert "new vis.Network(" in page and "vis-network" in page  # the library is inline
    assert page.count('<div id="cg-status"') == 1


@pytest.mark.parametrize("name", sorted(VIEWS))
def test_same_input_same_bytes(acme: Store, name: str) -> None:
    assert VIEWS[name](acme) == VIEWS[name](acme)


def test_unknown_ids_raise_not_found(acme: Store) -> None:
    with pytest.raises(NotFound, match="no asset 'nope'"):
        asset_view(acme, "nope", AS_OF)
    with pytest.raises(NotFound, match="no owner 'nobody'"):
        owner_view(acme, "nobody", AS_OF)
    with pytest.raises(NotFound, match=r"objective 'A\.99'"):
        crosswalk_view(acme, objective="A.99")
    with pytest.raises(NotFound, match="chapter 'XCIX'"):
        crosswalk_view(acme, chapter="XCIX")


def test_asset_view_traces_coverage_freshness_and_gaps(acme: Store) -> None:
    cg = Clausegraph(acme)
    g = asset_graph(acme, "cv-screening", AS_OF)
    trace = cg.trace("cv-screening", AS_OF)
    assert _kind(g, "article") == {f"AIA-{t['article']}" for t in trace}
    for t in trace:
        assert g.nodes[f"article:AIA-{t['article']}"].colours == VERDICT[t["verdict"]]
        assert g.nodes[f"article:AIA-{t['article']}"].dashed is not t["in_force"]
    art14 = cg.coverage("cv-screening", "14", AS_OF)
    for p in (p for p in art14["paths"] if p["relation"] != "related"):
        for ev in p["evidence"]:
            want = GREEN if ev["freshness"] == "fresh" else AMBER
            assert g.nodes[f"evidence:{ev['id']}"].colours == want
    gaps = cg.gaps(AS_OF, asset="cv-screening")
    assert gaps, "the sample plants gaps on cv-screening"
    for gap in gaps:
        node = g.nodes[f"gap:{gap.id}"]
        assert node.colours == (GAP if gap.in_force else DUE_LATER)
        assert any(e.target == node.id for e in g.edges.values())
    assert "jonas.becker" in _kind(g, "owner")
    assert g.layout == "hierarchical"


def test_asset_view_shows_stale_evidence_in_amber(acme: Store) -> None:
    g = asset_graph(acme, "triage-assist", AS_OF)
    assert g.nodes["evidence:E-073"].colours == AMBER  # planted: evidence_stale E-073
    assert "gap:evidence_stale:E-073" in g.nodes


def _owned(entity: str, owner: str) -> set[str]:
    with (ACME / f"{entity}.csv").open(newline="", encoding="utf-8") as f:
        return {r["id"] for r in csv.DictReader(f) if r["owner"] == owner}


@pytest.mark.parametrize("owner", ["jonas.becker", "clara.weber", "luc.dubois"])
def test_owner_view_lists_everything_owned_and_its_gaps(acme: Store, owner: str) -> None:
    g = owner_graph(acme, owner, AS_OF)
    for entity, kind in (("assets", "asset"), ("controls", "control"),
                         ("datasets", "dataset"), ("evidence", "evidence")):  # fmt: skip
        assert _kind(g, kind) == _owned(entity, owner), kind
    owned = set(g.nodes)
    expected = {
        gap.id
        for gap in Clausegraph(acme).gaps(AS_OF)
        if gap.owner == owner
        or any(f"{k}:{gap.subject}" in owned for k in ("asset", "control", "dataset", "evidence"))
        or f"asset:{gap.asset}" in owned
    }
    assert _kind(g, "gap") == expected


def test_crosswalk_view_colours_relations_and_flags_missing_counterparts(acme: Store) -> None:
    g = crosswalk_graph(acme)
    no_counterpart = {a["id"] for a in articles(acme) if a["no_counterpart_reason"]}
    assert no_counterpart
    for aid in no_counterpart:
        assert g.nodes[f"article:{aid}"].colours == NO_COUNTERPART
        assert ("hub:none", f"article:{aid}") in g.edges
    ids = {str(a["number"]): a["id"] for a in articles(acme)}
    for p in pairs(acme):
        edge = g.edges[(f"clause:{p['clause']}", f"article:{ids[str(p['article'])]}")]
        assert p["relation"] in edge.title or p["relation"] == "related"
        assert edge.colour in RELATION_COLOURS.values()
    assert g.layout == "force"


def test_crosswalk_filters(acme: Store) -> None:
    chapter_iii = {a["id"] for a in articles(acme, "III")}
    g = crosswalk_graph(acme, chapter="III")
    assert _kind(g, "article") and _kind(g, "article") <= chapter_iii
    g = crosswalk_graph(acme, objective="A.6")
    assert _kind(g, "clause") and all(
        c == "A.6" or c.startswith("A.6.") for c in _kind(g, "clause")
    )
    reached = {str(p["article"]) for p in pairs(acme) if p["clause"].startswith("A.6.")}
    assert {g.nodes[n].label.split(" ")[1].split("\n")[0] for n in g.nodes
            if n.startswith("article:AIA-") and "ANNEX" not in n} <= reached  # fmt: skip
    g = crosswalk_graph(acme, tier="gpai")
    tiers = {a["id"]: a["tiers"] for a in articles(acme)}
    assert all("gpai" in tiers[a] or "all" in tiers[a] for a in _kind(g, "article"))


def test_views_run_on_every_store(store: Store) -> None:
    """The two views.* queries and the view builders on each configured store (and Neo4j)."""
    load_inventory(store, ACME)
    assert len(owner_graph(store, "jonas.becker", AS_OF).nodes) > 5
    assert len(asset_graph(store, "credit-scoring", AS_OF).nodes) > 20
    assert len(crosswalk_graph(store).edges) > 100
