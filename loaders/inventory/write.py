"""Write a validated inventory: one transaction, and a report of what changed.

The last step of the pipeline (read -> validate -> batch -> write). Writing replaces each loaded
row's properties and outgoing links (a changed row updates in place) and derives its SUBJECT_TO
edges. Nothing is deleted unless ``prune=True``, which removes, within the entity types present
in the input, the ids the input no longer lists — in the same transaction — and reports them.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]

from graph.audit.events import Source
from graph.audit.log import default_source
from graph.file_hash import sha256_file
from graph.stores import DeleteNodes, Store
from loaders.catalog import load_catalogs
from loaders.inventory.batch import LABELS, evidence_files, inventory_batch
from loaders.inventory.read import RawInventory, read_inventory
from loaders.inventory.validate import validate

Progress = Callable[[str], None]
STR = pa.string()


@dataclass
class LoadReport:
    loaded: dict[str, int]
    new: dict[str, int]
    pruned: dict[str, list[str]]
    subject_to: int
    evidence_files: dict[str, int]  # file status -> count


def existing_keys(store: Store) -> dict[str, Any]:
    """Every key already in the store, per entity, as an Arrow string array."""
    out = {}
    for entity, label in LABELS.items():
        arrow_keys = getattr(store, "key_array", None)
        out[entity] = arrow_keys(label) if arrow_keys else pa.array(sorted(store.keys(label)), STR)
    return out


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
    files = evidence_files(parsed.table("evidence"), raw.base_dir)
    batch, derived = inventory_batch(parsed, files)
    pruned: dict[str, list[str]] = {}
    if prune:
        for entity, rows in parsed.entities.items():
            have = existing[entity]
            gone = sorted(have.filter(pc.invert(pc.is_in(have, value_set=rows.ids()))).to_pylist())
            if gone:
                pruned[entity] = gone
                batch.delete.append(DeleteNodes(LABELS[entity], gone))
    batch.source = load_source(source, raw, prune)
    say("writing")
    store.write(batch)
    statuses = Counter(f.status for f in files.facts.values() if f.status)
    if files.remote:
        statuses["remote"] += files.remote
    return LoadReport(
        loaded={e: rows.table.num_rows for e, rows in parsed.entities.items()},
        new={e: _new(rows.ids(), existing[e]) for e, rows in parsed.entities.items()},
        pruned=pruned,
        subject_to=derived,
        evidence_files=dict(statuses),
    )


def input_sha256(path: Path, files: list[Path]) -> str:
    """sha256 of one inventory document; for a folder, sha256 over the lines
    ``"<file sha256>  <file name>\n"`` of the inventory files read, sorted by name (what
    ``sha256sum assets.csv owners.csv … | LC_ALL=C sort -k2 | sha256sum`` prints)."""
    if path.is_file():
        return sha256_file(path)
    lines = sorted((p.name, sha256_file(p)) for p in files)
    text = "".join(f"{digest}  {name}\n" for name, digest in lines)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def load_source(source: Path | RawInventory, raw: RawInventory, prune: bool) -> Source:
    """Who and what, for the audit log: the input path as given and its sha256 (not for a
    request body), and ``--prune`` in the command when the load may delete."""
    base = default_source("load inventory")
    command = base.command or "load inventory"
    if prune and "--prune" not in command:
        command += " --prune"
    if not isinstance(source, Path):
        return dataclasses.replace(base, command=command)
    files = [Path(f) for f in sorted(set(raw.sources.values()))]
    return dataclasses.replace(
        base, command=command, input_file=str(source), input_sha256=input_sha256(source, files)
    )


def _new(ids: Any, existing: Any) -> int:
    unique = pc.unique(ids)
    return len(unique) - int(pc.sum(pc.is_in(unique, value_set=existing)).as_py() or 0)
