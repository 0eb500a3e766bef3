"""The sample organisation, loaded once for the view tests (read-only use)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.settings import Settings
from graph.stores import Store, open_store
from loaders.inventory import load_inventory

ROOT = Path(__file__).resolve().parents[2]
ACME = ROOT / "examples" / "acme"
AS_OF = dt.date(2026, 11, 25)


@pytest.fixture(scope="module")
def acme(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """A LadybugDB store holding the catalogs and examples/acme; tests must not write to it."""
    store = open_store(Settings(store="ladybug", db=tmp_path_factory.mktemp("acme") / "g.db"))
    store.apply_schema()
    load_inventory(store, ACME)
    try:
        yield store
    finally:
        store.close()
