"""The HTTP API, built by a factory so tests and `clausegraph serve` pass their own settings."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.routing import APIRoute

from api.routes import health
from graph.settings import Settings
from graph.stores import open_store


def _operation_id(route: APIRoute) -> str:
    """Stable OpenAPI operation ids: `<tag>-<function name>`."""
    tag = route.tags[0] if route.tags else "default"
    return f"{tag}-{route.name}"


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store = open_store(settings)
        store.apply_schema()
        app.state.store = store
        try:
            yield
        finally:
            store.close()

    app = FastAPI(
        title="clausegraph",
        summary="EU AI Act and ISO/IEC 42001 traced to AI systems, evidence and owners.",
        version="0.1.0",
        lifespan=lifespan,
        generate_unique_id_function=_operation_id,
    )
    app.include_router(health.router)
    return app
