"""The audit log over HTTP (reader role): its head, and one entity's history (docs/audit.md)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path

from api.deps import Reader, Run, StoreDep
from api.problems import responses
from graph.audit import read
from graph.models import ID_PATTERN

router = APIRouter(tags=["audit"], responses=responses(401, 403, 422, 503))
KINDS = r"^(Asset|Control|Dataset|Evidence|Owner|Incident)$"


@router.get("/audit/head")
async def audit_head(store: StoreDep, run: Run, _: Reader) -> dict[str, Any]:
    """The newest event's sequence number and hash, to publish or archive."""
    return await run(read.head, store)


@router.get("/history/{kind}/{key}")
async def history(
    store: StoreDep, run: Run, _: Reader,
    kind: Annotated[str, Path(pattern=KINDS, description="Node label.")],
    key: Annotated[str, Path(pattern=ID_PATTERN, description="The entity's id.")],
) -> list[dict[str, Any]]:  # fmt: skip
    """Every change to one entity and the links leaving it, newest first, with actor and source."""
    return await run(read.history, store, kind, key)
