"""Scoped twins of the anchored gap queries (queries/registry.py ``// anchor:``) return exactly
the full query's rows for the anchors asked: run per anchor key and concatenated, they give the
full query's rows, each anchor's rows in the full query's order, and nothing for other keys.

On the shipped example organisation and on a synthetic one with planted gaps, on LadybugDB.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from graph.gap_context import GapContext
from graph.gap_rules import RULES
from graph.gaps import EXTRA_PARTS, rule_query
from graph.stores.ladybug_store import LadybugStore
from loaders.inventory import load_inventory
from queries.registry import default_registry
from synth.organisation import AS_OF, synth

ACME = Path(__file__).resolve().parents[2] / "examples" / "acme"
PERIODS = {"periods": [{"days": d, "cutoff": AS_OF - dt.timedelta(days=d)} for d in (90, 180, 365)]}


def _parts() -> list[tuple[str, str, dict[str, Any]]]:
    """(rule, query, params) for every query a rule runs (today's date of the synthetic org)."""
    ctx = GapContext(as_of=AS_OF)
    out = []
    for r in RULES:
        name, params = rule_query(r.id, ctx)
        if r.id == "evidence_stale":
            params = PERIODS
        out += [(r.id, q, params) for q in (name, *EXTRA_PARTS.get(r.id, ()))]
    return out


PARTS = _parts()


@pytest.fixture(scope="module", params=["acme", "synthetic"])
def store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Any:
    root = tmp_path_factory.mktemp(f"scoped-{request.param}")
    org = ACME
    if request.param == "synthetic":
        org = root / "org"
        synth(60, 7, org)
    s = LadybugStore(root / "g.db")
    s.apply_schema()
    load_inventory(s, org)
    yield s
    s.close()


def _key(row: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((k, repr(v)) for k, v in row.items() if k != "anchor_key"))


def test_every_gap_query_has_an_anchor() -> None:
    reg = default_registry()
    unanchored = [q for _, q, _ in PARTS if reg.get(q, "ladybug").anchor is None]
    assert unanchored == []


@pytest.mark.parametrize(("rule", "query", "params"), PARTS, ids=[f"{r}:{q}" for r, q, _ in PARTS])
def test_scoped_twin_returns_the_full_rows_per_anchor(
    store: LadybugStore, rule: str, query: str, params: dict[str, Any]
) -> None:
    reg = default_registry()
    _, label = reg.get(query, "ladybug").anchor or ("", "")
    full = store.read(query, **params)
    keys = sorted(store.keys(label))
    per_key = {k: store.read(query + ".scoped", keys=[k], **params) for k in keys}
    assert all(r["anchor_key"] == k for k, rows in per_key.items() for r in rows)
    together = [r for k in keys for r in per_key[k]]
    assert Counter(map(_key, together)) == Counter(map(_key, full)), rule
    for k, rows in per_key.items():  # each anchor's rows keep the full query's order
        index = [next(i for i, f in enumerate(full) if _key(f) == _key(r)) for r in rows]
        assert index == sorted(index), (rule, k)
    assert store.read(query + ".scoped", keys=["no-such-id"], **params) == []
    for k in keys:  # the one-key twin returns the same rows, in the same order
        assert store.read(query + ".one", key=k, **params) == per_key[k], (rule, k)
    assert store.read(query + ".one", key="no-such-id", **params) == []
    if full:  # the synthetic org plants every kind of gap; acme at least most
        batch = store.read(query + ".scoped", keys=keys, **params)
        assert Counter(map(_key, batch)) == Counter(map(_key, full))
        # many keys at once: each row still says its anchor
        assert Counter((r["anchor_key"], _key(r)) for r in batch) == Counter(
            (k, _key(r)) for k in keys for r in per_key[k]
        )
