"""Raw Cypher against a store, bypassing its logged write path: what an attacker, or an operator's
mistake, does to the database behind clausegraph's back (tamper tests). Both stores."""

from __future__ import annotations

from typing import Any

from graph.stores import Store


def raw_write(store: Store, text: str, params: dict[str, Any] | None = None) -> None:
    execute = getattr(store, "_execute", None)
    if execute is not None:  # LadybugDB: its own connection, autocommit
        execute(text, params or {})
        return
    driver, database = store._driver, store.database  # type: ignore[attr-defined]  # Neo4j
    with driver.session(database=database) as session:
        session.run(text, params or {}).consume()
