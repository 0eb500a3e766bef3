"""Query plans on LadybugDB: no cross products in the gap rules (the 10-100x trap of design brief
§8) and keyed lookups for "what covers Article X for system Y"."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

from graph.gap_rules import RULES
from graph.gaps import GapContext, rule_query
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
    "coverage.direct_controls": {"asset": "cv-screening", "article": "AIA-14"},
    "coverage.clause_controls": {"asset": "cv-screening", "article": "AIA-14"},
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
    text = default_registry().get(name, "ladybug").text
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
