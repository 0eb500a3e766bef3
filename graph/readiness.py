"""Refuse to report over an empty store: "0 gaps" must mean "checked, none found"."""

from __future__ import annotations

from graph.errors import NotLoaded
from graph.stores import Store


def require_loaded(store: Store, *, inventory: bool = False) -> None:
    """Raise :class:`NotLoaded` unless the catalogs (and, if asked, an inventory) are loaded."""
    row = store.read("catalog.loaded")[0]
    if not row["articles"]:
        raise NotLoaded(
            "the store holds no catalogs: run `clausegraph load catalog` "
            "(or `clausegraph demo` for the sample organisation)"
        )
    if inventory and not row["assets"]:
        raise NotLoaded(
            "the store holds no AI systems: run `clausegraph load inventory DIR` "
            "(docs/formats.md) before asking for gaps"
        )
