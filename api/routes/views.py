"""The pyvis views as self-contained HTML pages (work offline; see docs/views.md)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import HTMLResponse

from api.deps import Reader, StoreDep
from api.problems import responses
from api.routes.catalog import CHAPTER, AsOf, day
from api.session import gap_context
from graph.models import ID_PATTERN
from graph.views import asset_view, crosswalk_view, owner_view

router = APIRouter(prefix="/views", tags=["views"], responses=responses(401, 403, 404, 422, 503))
HTML = {200: {"content": {"text/html": {}}, "description": "A self-contained HTML page."}}
Id = Annotated[str, Path(pattern=ID_PATTERN)]
TIER = r"^(prohibited|high|limited|minimal|gpai|gpai_systemic)?$"


@router.get("/crosswalk", response_class=HTMLResponse, responses=HTML)  # type: ignore[arg-type]
def view_crosswalk(
    store: StoreDep, _: Reader,
    chapter: Annotated[str, Query(pattern=CHAPTER, description="AI Act chapter, e.g. III.")] = "",
    objective: Annotated[str, Query(pattern=r"^((A\.)?\d{1,2}(\.\d{1,2})?)?$")] = "",
    tier: Annotated[str, Query(pattern=TIER)] = "",
) -> HTMLResponse:  # fmt: skip
    """ISO/IEC 42001 clauses and controls <-> AI Act articles, coloured by relation."""
    return HTMLResponse(crosswalk_view(store, chapter=chapter, objective=objective, tier=tier))


@router.get("/assets/{asset_id}", response_class=HTMLResponse, responses=HTML)  # type: ignore[arg-type]
def view_asset(store: StoreDep, _: Reader, asset_id: Id, as_of: AsOf = None) -> HTMLResponse:
    """One AI system's trace: articles, ISO clauses, controls, evidence, owners, gaps in red."""
    when = day(as_of) or dt.date.today()
    return HTMLResponse(asset_view(store, asset_id, when, gap_context=gap_context(when)))


@router.get("/owners/{owner_id}", response_class=HTMLResponse, responses=HTML)  # type: ignore[arg-type]
def view_owner(store: StoreDep, _: Reader, owner_id: Id, as_of: AsOf = None) -> HTMLResponse:
    """One owner's AI systems, controls, datasets, evidence and open gaps."""
    when = day(as_of) or dt.date.today()
    return HTMLResponse(owner_view(store, owner_id, when, gap_context=gap_context(when)))
