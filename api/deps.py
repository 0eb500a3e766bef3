"""FastAPI dependencies: the store, API-key roles, and the one hop to a worker thread.

Cheap per-request work runs on the event loop: the dependencies below are ``async`` (an API-key
check is one sha256 and a few constant-time compares), so FastAPI does not hand each of them to
a thread. Store calls block, so a read route is ``async`` and runs its store work through
:class:`Workers` in ONE worker thread per request; the response model is then validated and
serialised on the loop. (A sync route would cost two thread hops per request: the endpoint,
then the response validation, which FastAPI also moves to a thread for sync endpoints; plus
one per sync dependency.)
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Annotated, ParamSpec, TypeVar

import anyio
import anyio.to_thread
from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader

from api.auth import Principal, Role, authenticate, authorise
from api.session import Clausegraph
from graph.stores import Store

_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="An API key.")
P = ParamSpec("P")
T = TypeVar("T")


class Workers:
    """Runs read routes' store work in worker threads, at most ``tokens`` at once.

    The bound is about twice the store's read connections (one thread runs a statement while
    another does the Python between two statements): more threads only queue on the
    connection pool and contend for the GIL. Measured at 10k assets, coverage route, 32
    clients: 4 threads instead of anyio's 40 gave about 13% more requests/s, lower p95/p99 and
    100 MB less RSS. Slow sync routes (gaps, views, ingest) use anyio's own pool, so they never
    hold these tokens.
    """

    def __init__(self, tokens: int) -> None:
        self.tokens = tokens
        self._limiter: anyio.CapacityLimiter | None = None

    async def __call__(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
        if self._limiter is None:  # created on the server's event loop, on first use
            self._limiter = anyio.CapacityLimiter(self.tokens)
        return await anyio.to_thread.run_sync(partial(fn, *args, **kwargs), limiter=self._limiter)


async def get_workers(request: Request) -> Workers:
    workers: Workers = request.app.state.workers
    return workers


async def get_store(request: Request) -> Store:
    store: Store = request.app.state.store
    keeper = getattr(request.app.state, "readmodel", None)
    if keeper is not None:  # the first request of a new day re-dates the read model
        keeper.touch()
    return store


async def get_graph(request: Request) -> Clausegraph:
    # not Depends(get_store): each nested dependency costs FastAPI about 30 µs a request
    return Clausegraph(await get_store(request))


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


Run = Annotated[Workers, Depends(get_workers)]
StoreDep = Annotated[Store, Depends(get_store)]
GraphDep = Annotated[Clausegraph, Depends(get_graph)]
Reader = Annotated[Principal, Depends(require_role("reader"))]
Analyst = Annotated[Principal, Depends(require_role("analyst"))]
Editor = Annotated[Principal, Depends(require_role("editor"))]
Approver = Annotated[Principal, Depends(require_role("approver"))]
Admin = Annotated[Principal, Depends(require_role("admin"))]
