"""Fixtures for the quarterly-review tests: the sample organisation on a real store."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from api.session import Clausegraph
from graph.settings import Settings
from graph.stores import Store, open_store
from loaders.inventory import load_inventory

ROOT = Path(__file__).resolve().parents[2]
ACME = ROOT / "examples" / "acme"
REVIEW_DAY = dt.date(2026, 11, 25)
SCHEMAS = ROOT / "docs" / "schemas"


@pytest.fixture
def acme(store: Store) -> Clausegraph:
    """The sample organisation on a fresh store (LadybugDB, and Neo4j when NEO4J_URI is set)."""
    load_inventory(store, ACME)
    return Clausegraph(store)


@pytest.fixture(scope="module")
def acme_ro(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Clausegraph]:
    """The sample organisation on one LadybugDB store per module, for read-only tests."""
    store = open_store(Settings(store="ladybug", db=tmp_path_factory.mktemp("acme") / "g.db"))
    store.apply_schema()
    load_inventory(store, ACME)
    try:
        yield Clausegraph(store)
    finally:
        store.close()
