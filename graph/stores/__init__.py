"""Open the configured store. Drivers are imported lazily so neither engine loads unless used."""

from __future__ import annotations

from graph.settings import Settings
from graph.stores.base import DeleteNodes, EdgeRows, NodeRows, Store, Unlink, WriteBatch

__all__ = ["DeleteNodes", "EdgeRows", "NodeRows", "Store", "Unlink", "WriteBatch", "open_store"]


def open_store(settings: Settings, *, read_only: bool = False) -> Store:
    """The store the settings name: Neo4j when a URI is set, else LadybugDB at ``settings.db``."""
    if settings.store_kind == "neo4j":
        from graph.stores.neo4j_store import Neo4jStore

        assert settings.neo4j_uri is not None  # guaranteed by Settings  # noqa: S101
        password = settings.neo4j_password.get_secret_value() if settings.neo4j_password else None
        return Neo4jStore(
            settings.neo4j_uri,
            settings.neo4j_username,
            password,
            settings.neo4j_database,
            timeout_s=settings.connect_timeout_s,
            read_only=read_only,
        )
    from graph.stores.ladybug_store import LadybugStore

    return LadybugStore(
        settings.db, read_only=read_only, read_connections=settings.read_connections
    )
