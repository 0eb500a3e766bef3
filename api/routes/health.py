"""Liveness and readiness."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from graph.errors import ClausegraphError

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str


@router.get("/healthz", response_model=Health)
async def healthz() -> Health:
    """The process is up."""
    return Health(status="ok")


@router.get("/readyz", response_model=Health, responses={503: {"model": Health}})
def readyz(request: Request) -> Health | JSONResponse:
    """The store answers a query."""
    try:
        request.app.state.store.counts()
    except ClausegraphError:
        return JSONResponse({"status": "store unavailable"}, status_code=503)
    return Health(status="ok")
