"""FastAPI dependencies: the store, API-key roles, and the one hop to a worker thread.

Cheap per-request work runs on the event loop: the dependencies below are ``async`` (an API-key
check is one sha256 and a few constant-time compares), so FastAPI does not hand each of them to
a thread. Store calls block, so a route is ``async`` and runs its store work with
:func:`blocking` in ONE worker thread per request; the response model is then validated and
serialised on the loop. (A sync route would cost two thread hops per request: the endpoint, then
the response validation, which FastAPI also moves to a thread for sync endpoints.)
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Annotated, ParamSpec, TypeVar

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader
from starlette.concurrency import run_in_threadpool

from api.auth import Principal, Role, authenticate, authorise
from api.session import Clausegraph
from graph.stores import Store

_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="An API key.")
P = ParamSpec("P")
T = TypeVar("T")


async def blocking(fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
    """Run ``fn`` (store calls, blocking) in a worker thread; errors propagate unchanged."""
    return await run_in_threadpool(partial(fn, *args, **kwargs))


async def get_store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


async def get_graph(store: Annotated[Store, Depends(get_store)]) -> Clausegraph:
    return Clausegraph(store)


def require_role(role: Role):  # type: ignore[no-untyped-def]  # returns a FastAPI dependency
    async def check(
        request: Request, key: Annotated[str | None, Security(_header)] = None
    ) -> Principal:
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
