"""Load an organisation's inventory: read, validate the whole batch, write it in one transaction.

Validation collects every problem (file, row, field, value, reason) before anything is written:
row types and enums (pydantic, :mod:`graph.models`), duplicate ids, references to unknown ids
(naming the referrer: "evidence E-17 row 18: supports unknown control C-99"), ISO numbers and AI
Act articles that are not in the catalogs, and impossible dates. References may point at rows
in the same batch or already in the store, so a folder may hold only ``evidence.csv``.

Writing replaces each loaded row's properties and outgoing links (a changed row updates in
place) and derives its SUBJECT_TO edges. Nothing is deleted unless ``prune=True``, which removes,
within the entity types present in the input, the ids the input no longer lists — in the same
transaction — and reports them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from graph.errors import LoadValidationError, RowError
from graph.models import ENTITIES, Inventory
from graph.stores import DeleteNodes, Store
from loaders.catalog import load_catalogs, shipped_catalogs
from loaders.evidence_files import inspect_evidence
from loaders.inventory_batch import LABELS, inventory_batch
from loaders.inventory_files import RawInventory, RawRow, read_inventory

Progress = Callable[[str], None]

# (entity, field) -> the entity its ids refer to
REFERENCES: dict[tuple[str, str], str] = {
    ("assets", "owner"): "owners",
    ("assets", "datasets"): "datasets",
    ("datasets", "owner"): "owners",
    ("controls", "owner"): "owners",
    ("controls", "applies_to"): "assets",
    ("evidence", "owner"): "owners",
    ("evidence", "supports"): "controls",
    ("evidence", "concerns"): "assets",
    ("evidence", "reports"): "incidents",
    ("incidents", "assets"): "assets",
}
SINGULAR = {"owners": "owner", "assets": "asset", "datasets": "dataset", "controls": "control",
            "evidence": "evidence", "incidents": "incident"}  # fmt: skip


@dataclass
class Parsed:
    """The valid rows as one typed Inventory, and where each came from."""

    inventory: Inventory
    where: dict[tuple[str, int], RawRow]  # (entity, index in the inventory list) -> origin
    raw: RawInventory

    def rows(self, entity: str) -> list[tuple[Any, RawRow]]:
        items = getattr(self.inventory, entity)
        return [(m, self.where[(entity, i)]) for i, m in enumerate(items)]


@dataclass
class LoadReport:
    loaded: dict[str, int]
    new: dict[str, int]
    pruned: dict[str, list[str]]
    subject_to: int
    evidence_files: dict[str, int]  # file status -> count


def parse(raw: RawInventory) -> tuple[Parsed, list[RowError]]:
    """Validate each row on its own with the inventory model; keep the good ones."""
    errors: list[RowError] = []
    lists: dict[str, list[Any]] = {}
    where: dict[tuple[str, int], RawRow] = {}
    for entity, rows in raw.rows.items():
        good = lists.setdefault(entity, [])
        for r in rows:
            try:
                good.append(ENTITIES[entity].model_validate(r.data))
            except ValidationError as e:
                for err in e.errors():
                    value = err.get("input")
                    shown = None if isinstance(value, dict) else str(value)[:80]
                    loc = ".".join(str(p) for p in err["loc"])
                    errors.append(RowError(r.file, r.row, loc, err["msg"], shown))
                continue
            where[(entity, len(good) - 1)] = r
    return Parsed(Inventory.model_validate(lists), where, raw), errors


def _duplicates(parsed: Parsed) -> list[RowError]:
    errors = []
    for entity in parsed.raw.rows:
        seen: dict[str, RawRow] = {}
        for m, r in parsed.rows(entity):
            if m.id in seen:
                first = seen[m.id]
                msg = f"duplicate {SINGULAR[entity]} id (first at {first.file} row {first.row})"
                errors.append(RowError(r.file, r.row, "id", msg, m.id))
            seen.setdefault(m.id, r)
    return errors


def _references(parsed: Parsed, existing: dict[str, set[str]]) -> list[RowError]:
    # Rows that failed validation still declare their id: do not cascade "unknown" errors.
    declared = {
        e: {str(r.data["id"]) for r in parsed.raw.rows.get(e, []) if r.data.get("id")}
        for e in ENTITIES
    }
    known = {e: existing.get(e, set()) | declared[e] for e in ENTITIES}
    errors = []
    for (entity, fld), target in REFERENCES.items():
        for m, r in parsed.rows(entity):
            value = getattr(m, fld)
            for ref in value if isinstance(value, list) else [value] if value else []:
                if ref not in known[target]:
                    me = f"{SINGULAR[entity]} {m.id} row {r.row}"
                    msg = f"{me}: {fld} unknown {SINGULAR[target]} {ref}"
                    errors.append(RowError(r.file, r.row, fld, msg, ref))
    cats = shipped_catalogs()
    iso = {c.number for c in cats.iso.clauses}
    aia = {str(a.number) for a in cats.ai_act.articles} | {x.id for x in cats.ai_act.annexes}
    for c, r in parsed.rows("controls"):
        me = f"control {c.id} row {r.row}"
        errors += [
            RowError(r.file, r.row, "implements", f"{me}: unknown ISO/IEC 42001 number {n}", n)
            for n in c.implements
            if n not in iso
        ]
        errors += [RowError(r.file, r.row, "addresses", f"{me}: unknown AI Act article {a}", a)
                   for a in c.addresses if a not in aia]  # fmt: skip
    return errors


def _dates(parsed: Parsed) -> list[RowError]:
    errors = []
    for e, r in parsed.rows("evidence"):
        if e.valid_until is not None and e.valid_until < e.collected_on:
            errors.append(
                RowError(r.file, r.row, "valid_until", "is before collected_on", str(e.valid_until))
            )
        if e.reports and e.kind != "notification":
            errors.append(
                RowError(
                    r.file, r.row, "reports", "only evidence of kind notification reports incidents"
                )
            )
    for i, r in parsed.rows("incidents"):
        if i.aware_on < i.occurred_on:
            errors.append(
                RowError(r.file, r.row, "aware_on", "is before occurred_on", str(i.aware_on))
            )
        if i.reported_on is not None and i.reported_on < i.occurred_on:
            errors.append(
                RowError(r.file, r.row, "reported_on", "is before occurred_on", str(i.reported_on))
            )
    return errors


def existing_keys(store: Store) -> dict[str, set[str]]:
    return {entity: store.keys(label) for entity, label in LABELS.items()}


def validate(raw: RawInventory, existing: dict[str, set[str]]) -> Parsed:
    """The whole batch, every problem at once; raise LoadValidationError if there is any."""
    parsed, errors = parse(raw)
    errors += _duplicates(parsed) + _dates(parsed) + _references(parsed, existing)
    if errors:
        raise LoadValidationError(sorted(errors, key=lambda e: (e.file, e.row or 0)))
    return parsed


def load_inventory(
    store: Store,
    source: Path | RawInventory,
    *,
    prune: bool = False,
    progress: Progress | None = None,
) -> LoadReport:
    """Read, validate, and write an inventory in one transaction; see the module docstring."""
    say = progress or (lambda _msg: None)
    raw = read_inventory(source) if isinstance(source, Path) else source
    say("validating")
    if not store.keys("Article"):
        load_catalogs(store)  # applicability needs the articles in the graph
    existing = existing_keys(store)
    parsed = validate(raw, existing)
    say("checking evidence files")
    files = inspect_evidence(parsed.inventory.evidence, raw.base_dir)
    batch, derived = inventory_batch(parsed.inventory, files)
    pruned: dict[str, list[str]] = {}
    if prune:
        for entity in raw.rows:
            gone = sorted(existing[entity] - {m.id for m in getattr(parsed.inventory, entity)})
            if gone:
                pruned[entity] = gone
                batch.delete.append(DeleteNodes(LABELS[entity], gone))
    say("writing")
    store.write(batch)
    inv = parsed.inventory
    return LoadReport(
        loaded={e: len(getattr(inv, e)) for e in raw.rows},
        new={e: len({m.id for m in getattr(inv, e)} - existing[e]) for e in raw.rows},
        pruned=pruned,
        subject_to=derived,
        evidence_files=dict(Counter(f.status for f in files.values() if f.status)),
    )
