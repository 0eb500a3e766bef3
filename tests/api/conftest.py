"""A real app over a real on-disk LadybugDB holding the sample organisation, with three keys."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.auth import Role, create_key
from graph.settings import Settings
from graph.stores.ladybug_store import LadybugStore
from loaders.inventory import load_inventory

ACME = Path(__file__).resolve().parents[2] / "examples" / "acme"


def build(tmp: Path) -> tuple[Settings, dict[str, str]]:
    keys_file = tmp / "keys.json"
    roles: tuple[Role, ...] = ("reader", "editor", "admin")
    keys: dict[str, str] = {r: create_key(keys_file, f"{r}-key", r) for r in roles}
    db = tmp / "graph.db"
    store = LadybugStore(db)
    store.apply_schema()
    load_inventory(store, ACME)
    store.close()
    settings = Settings(store="ladybug", db=db, api_keys_file=keys_file, max_ingest_bytes=200_000)
    return settings, keys


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, dict[str, str]]]:
    """Shared by read-only tests of a module (loading Acme takes about a second)."""
    settings, keys = build(tmp_path_factory.mktemp("api"))
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield client, keys


@pytest.fixture
def fresh_api(tmp_path: Path) -> Iterator[tuple[TestClient, dict[str, str]]]:
    """A private app for tests that write."""
    settings, keys = build(tmp_path)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield client, keys
