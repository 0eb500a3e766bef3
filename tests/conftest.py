"""Fixtures: a real store per test — LadybugDB on disk always, Neo4j too when NEO4J_URI is set."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.settings import Settings
from graph.stores import Store, open_store

STORES = ["ladybug"] + (["neo4j"] if os.environ.get("NEO4J_URI") else [])


def make_store(kind: str, tmp_path: Path) -> Store:
    if kind == "ladybug":
        return open_store(Settings(store="ladybug", db=tmp_path / "graph.db"))
    store = open_store(Settings(store="neo4j"))
    store.apply_schema()
    _wipe(store)
    return store


def _wipe(store: Store) -> None:
    """Empty the shared Neo4j database completely, change log included, so a test starts as
    on a new LadybugDB file: ``clear`` keeps the log by design (graph/audit), and tests that
    count events, verify the chain or read a history would see earlier tests' events."""
    driver = store._driver  # type: ignore[attr-defined]  # the harness only; no query file
    driver.execute_query("MATCH (n) DETACH DELETE n", database_=store.database)  # type: ignore[attr-defined]


@pytest.fixture(params=STORES)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """A fresh, empty store with the schema applied."""
    kind: str = request.param
    if kind == "neo4j":
        request.applymarker(pytest.mark.neo4j)
    s = make_store(kind, tmp_path)
    s.apply_schema()
    try:
        yield s
    finally:
        if kind == "neo4j":
            _wipe(s)
        s.close()


@pytest.fixture
def ladybug_path(tmp_path: Path) -> Path:
    return tmp_path / "graph.db"
