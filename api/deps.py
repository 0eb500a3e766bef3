"""FastAPI dependencies: the store, and API-key roles."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader

from api.auth import Principal, Role, authenticate, authorise
from api.session import Clausegraph
from graph.stores import Store

_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="An API key.")


def get_store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def get_graph(store: Annotated[Store, Depends(get_store)]) -> Clausegraph:
    return Clausegraph(store)


def require_role(role: Role):  # type: ignore[no-untyped-def]  # returns a FastAPI dependency
    def check(request: Request, key: Annotated[str | None, Security(_header)] = None) -> Principal:
        if key is None:
            auth = request.headers.get("authorization", "")
            key = auth[7:] if auth.lower().startswith("bearer ") else None
        principal = authenticate(key, request.app.state.api_keys)
        authorise(principal, role)
        return principal

    return check


StoreDep = Annotated[Store, Depends(get_store)]
GraphDep = Annotated[Clausegraph, Depends(get_graph)]
Reader = Annotated[Principal, Depends(require_role("reader"))]
Editor = Annotated[Principal, Depends(require_role("editor"))]
Admin = Annotated[Principal, Depends(require_role("admin"))]
