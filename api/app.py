"""The HTTP API, built by a factory so tests and `clausegraph serve` pass their own settings."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.routing import APIRoute

from api import problems
from api.auth import KeyConfigError, load_keys
from api.dashboard import pages as dashboard
from api.dashboard.sessions import Sessions
from api.deps import Workers
from api.keeper import ReadModelKeeper
from api.limits import BodyLimit
from api.mcp.http import mcp_route
from api.reconciler import Reconciler
from api.routes import assets, audit, catalog, findings, gaps, health, ingest, review, views
from api.session import Clausegraph
from graph.settings import Settings
from graph.stores import open_store

DESCRIPTION = """Ask what covers an AI Act article for one of your AI systems, list the gaps,
read the catalogs and the ISO/IEC 42001 crosswalk, and ingest inventories.

Every route except `/healthz` and `/readyz` needs an API key (`X-API-Key`) with a role:
`reader` for reads, `editor` for `POST /ingest`, `analyst` and `approver` for findings
(reader < analyst < editor < approver < admin). Errors are RFC 9457 problem details.
AI assistants can ask the same questions over MCP (streamable HTTP) at `/mcp` (docs/mcp.md)."""


def _operation_id(route: APIRoute) -> str:
    """Stable OpenAPI operation ids: `<tag>-<function name>`."""
    tag = route.tags[0] if route.tags else "default"
    return f"{tag}-{route.name}"


def create_app(settings: Settings | None = None, *, own_process: bool = False) -> FastAPI:
    """``own_process``: the app is the process (`clausegraph serve`), so what its start-up
    builds may be frozen out of the cyclic collector's walks (api/keeper.py); tests share
    their process and leave it off."""
    settings = settings or Settings()
    if settings.api_keys_file is None:
        raise KeyConfigError(
            "the API needs API keys: set CLAUSEGRAPH_API_KEYS_FILE "
            "(create one with `clausegraph keys create --role reader --name me`)"
        )
    keys = load_keys(settings.api_keys_file)
    mcp, mcp_endpoint = mcp_route(keys)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store = open_store(settings)
        store.apply_schema()
        app.state.store = store
        # LadybugDB: twice its read connections (api/deps.py); Neo4j pools its own connections.
        app.state.workers = Workers(2 * getattr(store, "read_connections", 16))
        app.state.reconciler = Reconciler(store)  # findings after an ingest (api/reconciler.py)
        # the read model refreshed at start and on the first request of a new day (api/keeper.py)
        app.state.readmodel = ReadModelKeeper(store, settings.date_reading, freeze=own_process)
        app.state.readmodel.touch()
        try:
            # MCP over HTTP at /mcp (api/mcp/http.py)
            async with mcp_endpoint.running(lambda: Clausegraph(store)):
                yield
        finally:
            app.state.reconciler.flush()
            app.state.readmodel.join()
            store.close()

    app = FastAPI(
        title="clausegraph",
        summary="EU AI Act and ISO/IEC 42001 traced to AI systems, evidence and owners.",
        description=DESCRIPTION,
        version="0.1.0",
        lifespan=lifespan,
        generate_unique_id_function=_operation_id,
    )
    app.state.api_keys = keys
    secret = settings.session_secret.get_secret_value() if settings.session_secret else None
    app.state.ui_sessions = Sessions(secret, int(settings.session_hours * 3600))
    problems.install(app)
    routers = [health.router, catalog.articles, catalog.clauses, catalog.crosswalk, assets.router,
               gaps.router, gaps.metrics, ingest.router, views.router, audit.router,
               findings.router, findings.metrics_router, findings.digest_router,
               review.router]  # fmt: skip
    for router in routers:
        app.include_router(router)
    app.router.routes.append(mcp)
    app.include_router(dashboard.router)  # the browser dashboard at /ui (docs/dashboard.md)
    app.add_middleware(BodyLimit, max_bytes=settings.max_ingest_bytes)
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins,
                           allow_methods=["GET", "POST"], allow_headers=["X-API-Key"])  # fmt: skip
    return app
