"""Query plans on LadybugDB: no cross products in the gap rules (the 10-100x trap of design brief
§8), keyed lookups for "what covers Article X for system Y", and generated upserts that look up
each end of an edge by key per row."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

from graph import cypher_gen
from graph.gap_rules import RULES
from graph.gaps import GapContext, rule_query
from graph.readmodel.codec import MARK
from graph.schema import SCHEMA
from graph.stores.ladybug_store import LadybugStore
from loaders.inventory import load_inventory
from queries.registry import default_registry

ACME = Path(__file__).resolve().parents[2] / "examples" / "acme"
DAY = dt.date(2026, 11, 25)
# A cross product that is bounded by a parameter list of a few items, not by a table.
ALLOWED_CROSS = {"gaps.evidence_stale": "UNWIND of the distinct review periods (a handful)"}
COVERAGE: dict[str, dict[str, Any]] = {
    "coverage.asset": {"asset": "cv-screening"},
    "coverage.article": {"article": "AIA-14"},
    "coverage.subject_to": {"asset": "cv-screening"},
    "coverage.subject": {"asset": "cv-screening", "article": "AIA-14"},
    "coverage.controls": {"asset": "cv-screening", "article": "AIA-14"},
    "coverage.evidence": {"asset": "cv-screening", "controls": ["C-28"]},
}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Any:
    s = LadybugStore(tmp_path_factory.mktemp("plans") / "g.db")
    s.apply_schema()
    load_inventory(s, ACME)
    yield s
    s.close()


def operators(store: LadybugStore, name: str, params: dict[str, Any]) -> set[str]:
    return plan_operators(store, default_registry().get(name, "ladybug").text, params)


def plan_operators(store: LadybugStore, text: str, params: dict[str, Any]) -> set[str]:
    rows = store._execute("EXPLAIN " + text, params)  # the plan is one text cell
    return set(re.findall(r"([A-Z_]{4,})\[", str(next(iter(rows[0].values())))))


@pytest.mark.parametrize("rule", [r.id for r in RULES])
def test_gap_rules_have_no_cross_product(store: LadybugStore, rule: str) -> None:
    name, params = rule_query(rule, GapContext(as_of=DAY))
    if rule == "evidence_stale":
        params = {"periods": [{"days": 180, "cutoff": dt.date(2026, 5, 29)}]}
    ops = operators(store, name, params)
    if name in ALLOWED_CROSS:
        return
    assert "CROSS_PRODUCT" not in ops, f"{name} plans a cross product"


@pytest.mark.parametrize("name", sorted(COVERAGE))
def test_coverage_queries_are_keyed_lookups(store: LadybugStore, name: str) -> None:
    ops = operators(store, name, COVERAGE[name])
    assert "CROSS_PRODUCT" not in ops
    assert ops & {"QUERY_PRIMARY_KEY_LOOKUP", "PRIMARY_KEY_SCAN_NODE_TABLE"}, (name, ops)


EDGE_PAIRS = [(r.type, src, dst) for r in SCHEMA.rels for src, dst in r.endpoints]


@pytest.mark.parametrize("label", [n.label for n in SCHEMA.nodes])
def test_generated_node_upserts_have_no_cross_product(store: LadybugStore, label: str) -> None:
    node = SCHEMA.node(label)
    row = {p.name: None for p in node.props} | {node.key: "k"}
    ops = plan_operators(store, cypher_gen.node_upsert("ladybug", node), {"rows": [row]})
    assert "CROSS_PRODUCT" not in ops, label


@pytest.mark.parametrize(("rel_type", "src", "dst"), EDGE_PAIRS)
def test_generated_edge_upserts_look_up_both_ends(
    store: LadybugStore, rel_type: str, src: str, dst: str
) -> None:
    rel = SCHEMA.rel(rel_type)
    row = {p.name: None for p in rel.props} | dict.fromkeys(rel.key, "") | {"src": "a", "dst": "b"}
    text = cypher_gen.edge_upsert("ladybug", rel, src, dst)
    ops = plan_operators(store, text, {"rows": [row]})
    assert "CROSS_PRODUCT" not in ops, text
    assert "QUERY_PRIMARY_KEY_LOOKUP" in ops, (text, ops)


# The read model's keyed queries (graph/readmodel): each system, article, control, evidence item
# or owner found by key, its edges by OPTIONAL MATCH from it (the scans masked to those nodes).
READMODEL: dict[str, dict[str, Any]] = {
    "readmodel.subjects": {"assets": ["cv-screening"]},
    "readmodel.subject_keys": {"assets": ["cv-screening"]},
    "readmodel.articles": {"articles": ["AIA-14"]},
    "readmodel.paths": {"articles": ["AIA-14"]},
    "readmodel.scope": {"assets": ["cv-screening"]},
    "readmodel.evidence": {"assets": ["cv-screening"]},
    "readmodel.org_evidence": {"controls": ["C-01"]},
    "readmodel.control_reach": {"keys": ["C-01"]},
    "readmodel.evidence_reach": {"keys": ["E-001"]},
    "readmodel.control_articles": {"keys": ["C-01"]},
    "readmodel.owner_reach": {"keys": ["clara.weber"]},
    # A page of traces (graph/coverage.traces): the systems' pairs, then their kept cells.
    "coverage.subject_to_of": {"assets": ["cv-screening", "ats-ranker"]},
    "readmodel.cells_of": {"keys": ["cv-screening|AIA-14"]},
    # The overview's unaddressed pairs, placed by chapter and tier.
    "metrics.pairs_of": {"assets": ["cv-screening"]},
    # The maintained gap rows (graph/gaprows): the same shape, one hop from each changed node.
    "gaprows.asset_reach": {"keys": ["cv-screening"]},
    "gaprows.evidence_reach": {"keys": ["E-001"]},
    "gaprows.control_reach": {"keys": ["C-01"]},
}


@pytest.mark.parametrize("name", sorted(READMODEL))
def test_readmodel_queries_are_keyed(store: LadybugStore, name: str) -> None:
    ops = operators(store, name, READMODEL[name])
    assert "CROSS_PRODUCT" not in ops
    assert "QUERY_PRIMARY_KEY_LOOKUP" in ops, (name, ops)


def test_readmodel_cell_is_two_primary_key_lookups(store: LadybugStore) -> None:
    """The mark and the cell, each by key; their cross product is one row by one row."""
    ops = operators(store, "readmodel.cell", {"key": "cv-screening|AIA-14", "mark": MARK})
    assert "PRIMARY_KEY_SCAN_NODE_TABLE" in ops
    assert "SCAN_NODE_TABLE" not in ops and "HASH_JOIN_BUILD" not in ops
