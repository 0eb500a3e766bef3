"""Building the gap rows from each full query grouped by its anchor column gives what each
query's scoped twin gives for every anchor: the same anchors, the same rows, in the same order
(graph/gaprows/model.py ``grouped``; an update re-runs the twin for a few anchors and splices
its rows in, so the two must agree row for row)."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from api.session import gap_context
from graph.gaprows.model import grouped
from graph.gaps import full_rows, rule_parts
from graph.stores import Store
from loaders.catalog import load_catalogs
from loaders.inventory import load_inventory
from queries.registry import SCOPED, default_registry
from tests.gaprows.test_property import GapOrg
from tests.readmodel.test_property import DAY

ACME = Path(__file__).resolve().parents[2] / "examples" / "acme"


def assert_grouping_matches_the_twins(store: Store) -> int:
    reg, ctx, checked = default_registry(), gap_context(DAY), 0
    for part in rule_parts(store, ctx):
        anchor = reg.get(part.query, store.kind).anchor
        assert anchor is not None, part.query
        want: dict[str, list[dict[str, Any]]] = {}
        if not part.empty:
            every = sorted(store.keys(anchor[1]))
            for r in store.read(part.query + SCOPED, keys=every, **part.params):
                want.setdefault(r.pop("anchor_key"), []).append(r)
        assert grouped(full_rows(store)(part), anchor[1]) == want, part.key
        checked += bool(want)
    return checked


def test_grouped_full_rows_equal_the_twins_on_acme(store: Store) -> None:
    load_catalogs(store)
    load_inventory(store, ACME)
    assert assert_grouping_matches_the_twins(store) >= 20  # most queries have rows here


def test_grouped_full_rows_equal_the_twins_after_random_edits(store: Store, tmp_path: Path) -> None:
    rng = random.Random(5)  # noqa: S311  (a reproducible sequence, not a secret)
    org = GapOrg(store, tmp_path, rng)
    load_inventory(store, org.main)
    for step in (org.org_wide, org.asset_change, org.evidence_relink, org.incident_change,
                 org.dataset_change, org.control_over_old_evidence):  # fmt: skip
        step()
    assert_grouping_matches_the_twins(store)
