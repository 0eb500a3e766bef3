"""bench/arrow_org.py builds exactly the graph the loader builds (so 100k benches are fair)."""

from __future__ import annotations

from pathlib import Path

from bench.arrow_org import build
from graph.backup import export_lines
from graph.settings import Settings
from graph.stores import Store, open_store
from loaders.catalog import load_catalogs
from loaders.inventory import load_inventory
from synth.organisation import synth


def _fresh(path: Path) -> Store:
    store = open_store(Settings(store="ladybug", db=path))
    store.apply_schema()
    load_catalogs(store)
    return store


def test_arrow_build_equals_loader(tmp_path: Path) -> None:
    synth(40, 9, tmp_path / "org")
    loaded = _fresh(tmp_path / "loaded.db")
    load_inventory(loaded, tmp_path / "org")
    expected = list(export_lines(loaded, change_log=False))
    loaded.close()
    _fresh(tmp_path / "copied.db").close()
    build(40, 9, tmp_path / "org", tmp_path / "copied.db")
    copied = open_store(Settings(store="ladybug", db=tmp_path / "copied.db"))
    try:
        assert list(export_lines(copied, change_log=False)) == expected
    finally:
        copied.close()
