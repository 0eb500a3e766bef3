"""The audit log over HTTP: its head, one entity's history and what changed since (reader role);
verifying the hash chain (admin role). docs/audit.md, docs/api.md."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from api.deps import Admin, GraphDep, Reader, Run, StoreDep
from api.problems import responses
from api.routes.catalog import OptIdQuery as Id
from graph.audit import read
from graph.coverage import NotFound
from graph.errors import InvalidParameters
from graph.models import ID_PATTERN
from graph.review.errors import SnapshotAmbiguous, SnapshotNotFound

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


@router.get("/changes", responses=responses(404))
async def changes(
    graph: GraphDep, run: Run, _: Reader,
    since: Annotated[str, Query(min_length=1, max_length=64,
                                description="A snapshot label, or an ISO date/datetime.")],
    until: Annotated[str, Query(max_length=64, description="The same forms; default now.")] = "",
    asset: Id = "", owner: Id = "",
    article: Annotated[str, Query(max_length=32, description="14, 'Art. 14', 'Annex III'.")] = "",
) -> list[dict[str, Any]]:  # fmt: skip
    """What changed since a snapshot or date, one row per entity (most recent first) with its
    events; ``asset`` keeps what reached that system through its controls and evidence too."""
    try:
        return await run(graph.changes, since, until or None, asset=asset or None,
                         article=article or None, owner=owner or None, paths=False)  # fmt: skip
    except SnapshotAmbiguous as e:
        raise InvalidParameters(str(e)) from None
    except SnapshotNotFound as e:
        raise NotFound(str(e)) from None


@router.post("/audit/verify")
async def audit_verify(store: StoreDep, run: Run, _: Admin) -> dict[str, Any]:
    """Recompute the hash chain: ``ok``, events checked, the head, and the first bad event."""
    r = await run(read.verify, store)
    return {"ok": r.ok, "checked": r.checked, "head_seq": r.head_seq, "head_hash": r.head_hash,
            "bad_seq": r.bad_seq, "reason": r.reason}  # fmt: skip
