"""POST /ingest: the inventory model as JSON, validated and written like `load inventory`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Request

from api.deps import Editor, StoreDep
from api.problems import responses
from api.schemas import IngestOut
from graph.audit.events import Source, acting, new_batch_id
from graph.models import ENTITIES, Inventory
from loaders.inventory import load_inventory
from loaders.inventory.read import RawInventory, RawRow

router = APIRouter(tags=["ingest"], responses=responses(400, 401, 403, 413, 422, 503))


def raw_from_body(inventory: Inventory) -> RawInventory:
    """Rows located by JSON path ($.assets[2]) so errors point into the request body. Each row
    carries its model: FastAPI validated the body, so the loader does not validate it again
    (the checks across rows — duplicates, dates, references — still run)."""
    rows: dict[str, list[RawRow]] = {}
    for entity in ENTITIES:
        items = getattr(inventory, entity)
        if entity in inventory.model_fields_set:
            rows[entity] = [
                RawRow(entity, m.model_dump(), f"$.{entity}", i + 1, f"{entity}[{i}]", m)
                for i, m in enumerate(items)
            ]
    # No folder behind a request body: relative evidence paths are never read on the server.
    return RawInventory(rows, None, dict.fromkeys(rows, "body"))


@router.post("/ingest", response_model=IngestOut)
def ingest(
    request: Request, store: StoreDep, who: Editor,
    inventory: Annotated[Inventory, Body(description="The inventory model (docs/formats.md).")],
) -> dict[str, Any]:  # fmt: skip
    """Validate the whole batch (422 listing every problem with its JSON path; nothing written),
    then write it in one transaction. Same rules as `clausegraph load inventory`; never deletes.
    The findings are reconciled right after, off the request's path (api/reconciler.py); a
    findings read waits for that run."""
    source = Source(actor=who.name, command="POST /ingest", batch_id=new_batch_id())
    with acting(source):
        report = load_inventory(store, raw_from_body(inventory))
    request.app.state.reconciler.request(source)  # the findings follow (docs/remediation.md)
    return {"loaded": report.loaded, "new": report.new, "subject_to": report.subject_to}
