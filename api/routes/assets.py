"""AI systems: list, one, "what covers Article X for system Y", and the full trace."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response
from pydantic import TypeAdapter

from api.deps import GraphDep, Reader, Run, StoreDep
from api.problems import responses
from api.routes.catalog import ARTICLE_REF, AsOf, Limit, Offset, day, page
from api.schemas import AssetOut, CoverageOut, Page, TraceRow
from graph.coverage import NotFound
from graph.models import ID_PATTERN

router = APIRouter(prefix="/assets", tags=["assets"], responses=responses(401, 403, 422, 503))
AssetId = Annotated[str, Path(pattern=ID_PATTERN, description="AI system id.")]
_COVERAGE = TypeAdapter(CoverageOut)
TIER = r"^(prohibited|high|limited|minimal|gpai|gpai_systemic|none)?$"


@router.get("", response_model=Page[AssetOut])
async def list_assets(
    store: StoreDep, run: Run, _: Reader,
    tier: Annotated[str, Query(pattern=TIER, description="Risk tier; 'none' = unassigned.")] = "",
    owner: Annotated[str, Query(pattern=f"({ID_PATTERN})|^$")] = "",
    lifecycle: Annotated[str, Query(pattern=r"^(planned|development|production|retired)?$")] = "",
    offset: Offset = 0, limit: Limit = 100,
) -> dict[str, Any]:  # fmt: skip
    """The inventory's AI systems, filterable by tier, owner and lifecycle."""
    rows = await run(store.read, "assets.list", tier=tier, owner=owner, lifecycle=lifecycle)
    return page(rows, offset, limit)


@router.get("/{asset_id}", response_model=AssetOut, responses=responses(404))
async def get_asset(store: StoreDep, run: Run, _: Reader, asset_id: AssetId) -> dict[str, Any]:
    """One AI system."""
    rows = await run(store.read, "coverage.asset", asset=asset_id)
    if not rows:
        raise NotFound(f"no asset {asset_id!r}")
    return rows[0]


@router.get("/{asset_id}/coverage/{article}", response_model=CoverageOut, responses=responses(404))
async def asset_coverage(
    graph: GraphDep, run: Run, _: Reader, asset_id: AssetId,
    article: Annotated[str, Path(pattern=ARTICLE_REF, description="14, 'Annex III' or AIA-14.")],
    as_of: AsOf = None,
) -> Any:  # fmt: skip
    """What covers the article for the AI system: verdict and reason, the paths article ->
    clause -> control -> evidence with each hop's relation and freshness, owners, weakest link."""
    when = day(as_of) or dt.date.today()
    kept = graph.coverage_now_json(asset_id, article, when)  # the read model, in the event loop
    if kept is not None:  # the stored JSON through the response model, never via Python dicts
        return Response(_COVERAGE.dump_json(_COVERAGE.validate_json(kept), by_alias=True),
                        media_type="application/json")  # fmt: skip
    return await run(graph.coverage, asset_id, article, when)


@router.get("/{asset_id}/trace", response_model=list[TraceRow], responses=responses(404))
async def asset_trace(
    graph: GraphDep, run: Run, _: Reader, asset_id: AssetId, as_of: AsOf = None
) -> Any:
    """Every article the AI system is subject to, and how each is covered."""
    return await run(graph.trace, asset_id, day(as_of))
