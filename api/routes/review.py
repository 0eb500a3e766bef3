"""The quarterly review over HTTP, as the CLI has it (docs/review.md): snapshots (list: reader;
take: analyst), the diff of two snapshots, what starts to apply between two dates, and one AI
system's evidence bundle as a zip download. Snapshots are named by label only: no server path
is taken from, or shown to, a client."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path as FilePath
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field
from starlette.background import BackgroundTask

from api.deps import Analyst, GraphDep, Reader
from api.problems import responses
from api.routes.catalog import DATE, AsOf, day
from api.routes.catalog import OptIdQuery as Id
from graph.coverage import NotFound
from graph.errors import InvalidParameters
from graph.models import ID_PATTERN
from graph.review import Snapshot
from graph.review.errors import SnapshotAmbiguous, SnapshotExists, SnapshotNotFound
from graph.review.snapshots import LABEL

router = APIRouter(tags=["review"], responses=responses(401, 403, 409, 422, 503))
Label = Annotated[str, Query(pattern=LABEL.pattern, description="A snapshot label or its suffix.")]


class SnapshotOut(BaseModel):
    label: str
    as_of: str
    taken_at: str
    gaps: int = Field(description="Every gap: in force on as_of and upcoming.")
    in_force: int
    red_line: int = Field(description="Critical or high gaps in force on as_of.")
    upcoming: int
    stale_evidence: int
    inventory: str = Field(description="The first 12 hex digits of the inventory's hash.")


class SnapshotIn(BaseModel):
    label: str = Field(pattern=LABEL.pattern, examples=["2026-Q4"])
    as_of: str | None = Field(None, pattern=DATE, description="Default today.",
                              json_schema_extra={"format": "date"})  # fmt: skip
    coverage: bool = Field(True, description="Also record coverage per chapter (slower).")
    force: bool = Field(False, description="Replace a snapshot of that label.")


def _out(s: Snapshot) -> dict[str, Any]:
    m = s.metrics
    return {"label": s.label, "as_of": str(s.as_of), "taken_at": str(s.taken_at),
            "gaps": m["gaps"], **s.headline, "stale_evidence": m["stale_evidence"],
            "inventory": s.inventory_hash[:12]}  # fmt: skip


@router.get("/snapshots", response_model=list[SnapshotOut])
def list_snapshots(graph: GraphDep, _: Reader) -> list[dict[str, Any]]:
    """Every review snapshot, oldest review day first."""
    return [_out(s) for s in graph.snapshots()]


@router.post("/snapshots", response_model=SnapshotOut, status_code=201, responses=responses(400))
def take_snapshot(body: SnapshotIn, graph: GraphDep, _: Analyst) -> dict[str, Any]:
    """Record the gaps and metrics of ``as_of`` as a snapshot; reconciles the findings when it
    is for today. A label already taken is a 409 unless ``force``."""
    try:
        snap = graph.snapshot(body.label, day(body.as_of), coverage=body.coverage,
                              force=body.force)  # fmt: skip
    except SnapshotExists:
        # (its own message names the file on the server)
        raise SnapshotExists(f"snapshot {body.label!r} exists; send force to replace it") from None
    return _out(snap)


@router.get("/snapshots/diff", responses=responses(404))
def diff(graph: GraphDep, _: Reader, before: Label, after: Label) -> dict[str, Any]:
    """What changed from snapshot ``before`` to ``after``: new, closed and persisting gaps,
    evidence gone stale, owner changes, systems added/removed/retired, coverage per chapter."""
    try:
        return graph.diff(before, after, paths=False).to_dict()
    except SnapshotAmbiguous as e:
        raise InvalidParameters(str(e)) from None
    except SnapshotNotFound as e:
        raise NotFound(str(e)) from None


_DAY = {"pattern": DATE, "json_schema_extra": {"format": "date"}}  # as AsOf says it


@router.get("/applies", responses=responses(404))
def applies(
    graph: GraphDep, _: Reader,
    start: Annotated[str, Query(alias="from", description="The earlier date.", **_DAY)],
    end: Annotated[str, Query(alias="to", description="The later date.", **_DAY)],
    asset: Id = "",
) -> list[dict[str, Any]]:  # fmt: skip
    """Per AI system, the articles that apply on ``to`` and did not yet on ``from`` (none when
    ``to`` is before ``from``: an article once applicable stays so)."""
    if asset:
        graph.require_asset(asset)
    first, last = day(start, "from"), day(end, "to")
    assert first is not None and last is not None  # noqa: S101  (both are required)
    if last < first:  # nothing starts in a backwards window (the CLI refuses it as a typo)
        return []
    return graph.applies(first, last, asset or None)


@router.get(
    "/assets/{asset_id}/bundle",
    response_class=FileResponse,
    responses=responses(404) | {200: {"content": {"application/zip": {}}}},
)
def bundle(
    graph: GraphDep, _: Reader,
    asset_id: Annotated[str, Path(pattern=ID_PATTERN)],
    article: Annotated[str, Query(max_length=32, description="Only this article.")] = "",
    as_of: AsOf = None,
) -> FileResponse:  # fmt: skip
    """The regulator's evidence bundle of one AI system as a zip: manifest, trace, gaps, the
    local evidence files with their hashes, and its audit events (`clausegraph bundle verify`
    checks it)."""
    graph.require_asset(asset_id)
    folder = FilePath(tempfile.mkdtemp(prefix="clausegraph-bundle-"))
    try:
        out = folder / f"bundle-{asset_id}.zip"
        graph.bundle(asset_id, out, article=article or None, as_of=day(as_of))
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return FileResponse(out, media_type="application/zip", filename=out.name,
                        background=BackgroundTask(shutil.rmtree, folder, True))  # fmt: skip
