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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]

from graph.audit.events import Source
from graph.audit.log import default_source
from graph.file_hash import sha256_file
from graph.stores import DeleteNodes, Store, WriteBatch
from loaders.catalog import load_catalogs
from loaders.inventory import fingerprints, row_prints
from loaders.inventory.batch import LABELS, evidence_files, inventory_batch
from loaders.inventory.read import RawInventory, read_inventory
from loaders.inventory.validate import Parsed, named_ids, validate

Progress = Callable[[str], None]
STR = pa.string()
# An input of at most this many rows checks its references by keyed lookups of the ids it names
# (its cost grows with the input); a larger one reads every key of the store once (cheaper per
# id, but its cost grows with the store). --prune always reads every key: it deletes the others.
KEYED_MAX_ROWS = 20_000


@dataclass
class LoadReport:
    loaded: dict[str, int]
    new: dict[str, int]
    pruned: dict[str, list[str]]
    subject_to: int
    evidence_files: dict[str, int]  # file status -> count
    skipped: list[str] = field(default_factory=list)  # entities whose file was not re-read
    # entities whose file was read in part: changed rows validated and written (row_prints.py)
    partial: dict[str, int] = field(default_factory=dict)


def existing_keys(store: Store) -> dict[str, Any]:
    """Every key already in the store, per entity, as an Arrow string array."""
    out = {}
    for entity, label in LABELS.items():
        arrow_keys = getattr(store, "key_array", None)
        out[entity] = arrow_keys(label) if arrow_keys else pa.array(sorted(store.keys(label)), STR)
    return out


def named_keys(store: Store, parsed: Parsed) -> dict[str, Any]:
    """The ids the batch names that the store already holds, per entity (keyed lookups)."""
    out = {}
    for entity, ids in named_ids(parsed).items():
        out[entity] = pa.array(sorted(store.present(LABELS[entity], ids)), STR)
    return out


def input_rows(raw: RawInventory) -> int:
    return sum(len(r) for r in raw.rows.values()) + sum(
        int(c.table.num_rows) for c in raw.columns.values()
    )


def load_inventory(
    store: Store,
    source: Path | RawInventory,
    *,
    prune: bool = False,
    progress: Progress | None = None,
) -> LoadReport:
    """Read, validate, and write an inventory in one transaction; see the module docstring."""
    say = progress or (lambda _msg: None)
    prints: dict[str, fingerprints.Fingerprint] = {}
    skipped: dict[str, dict[str, Any]] = {}
    if isinstance(source, Path) and source.is_dir():
        prints = fingerprints.take(fingerprints.folder_files(source))
        found = fingerprints.current(store, prints)
        if found is None:  # the store has no fingerprint table: record none
            prints = {}
        elif not prune:
            skipped = found
    if prints and len(skipped) == len(prints):  # nothing to read: the one no-op event
        say("unchanged")
        marks = fingerprints.stamps(prints, _rows(skipped), _derived(skipped))
        every = [f.path for f in prints.values()]
        store.write(WriteBatch(source=load_source(source, every, prune, prints), stamps=marks))
        return LoadReport(_rows(skipped), dict.fromkeys(skipped, 0), {}, _derived(skipped), {},
                          skipped=sorted(skipped))  # fmt: skip
    lines, deltas = _row_deltas(store, prints, skipped, prune)
    if isinstance(source, Path):
        raw = read_inventory(source, frozenset(skipped) | frozenset(deltas))
        for entity, d in deltas.items():
            raw.sources[entity] = str(d.lines.path)
            if d.columns is not None:
                raw.columns[entity] = d.columns
    else:
        raw = source
    say("validating")
    if not store.keys("Article"):
        load_catalogs(store)  # applicability needs the articles in the graph
    existing: dict[str, Any] = {}
    if prune or input_rows(raw) > KEYED_MAX_ROWS:
        existing = existing_keys(store)
        parsed = validate(raw, existing)
    else:

        def lookup(p: Parsed) -> dict[str, Any]:
            existing.update(named_keys(store, p))
            return existing

        parsed = validate(raw, lookup)
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
    read_files = [Path(f) for f in raw.sources.values()] + [prints[e].path for e in skipped]
    batch.source = load_source(source, read_files, prune, prints)
    loaded = (
        {e: r["rows"] for e, r in skipped.items()}
        | {e: rows.table.num_rows for e, rows in parsed.entities.items()}
        | {e: d.rows for e, d in deltas.items()}
    )
    per_id = _derived_per_id(batch)
    if "assets" in deltas:
        derived += int(deltas["assets"].unchanged_derived.sum())
    elif "assets" not in parsed.entities:
        derived = _derived(skipped)
    if prints:
        batch.stamps = fingerprints.stamps(prints, loaded, derived)
    if lines is not None:
        batch.digests = [
            r
            for e, fl in lines.items()
            for r in row_prints.record_rows(
                fl,
                row_prints.line_ids(fl, deltas.get(e), _ids_in_order(parsed, e)),
                row_prints.line_derived(fl, deltas.get(e), per_id if e == "assets" else {}),
                fingerprints.kinds(e),
            )
        ]
    say("writing")
    store.write(batch)
    statuses = Counter(f.status for f in files.facts.values() if f.status)
    if files.remote:
        statuses["remote"] += files.remote
    new = (
        dict.fromkeys(skipped, 0)
        | dict.fromkeys(deltas, 0)
        | {e: _new(rows.ids(), existing.get(e)) for e, rows in parsed.entities.items()}
    )
    order = [e for e in LABELS if e in loaded]  # as the input lists them, however each was read
    return LoadReport(
        loaded={e: loaded[e] for e in order},
        new={e: new[e] for e in order},
        pruned=pruned,
        subject_to=derived,
        evidence_files=dict(statuses),
        skipped=sorted(skipped),
        partial={e: len(d.changed) for e, d in deltas.items()},
    )


def _row_deltas(
    store: Store,
    prints: dict[str, fingerprints.Fingerprint],
    skipped: dict[str, dict[str, Any]],
    prune: bool,
) -> tuple[dict[str, row_prints.FileLines] | None, dict[str, row_prints.RowDelta]]:
    """The entity files read as lines (their per-line fingerprints are recorded with the load;
    None: the store cannot hold them), and those of them read in part (row_prints.py)."""
    lines = {}
    for entity, f in prints.items():
        if entity not in skipped and f.path.suffix == ".csv":
            fl = row_prints.split(entity, f.path)
            if fl is not None:
                lines[entity] = fl
    records = row_prints.stored(store, [] if prune else list(lines))
    if records is None:
        return None, {}
    if "evidence" in records and not fingerprints.local_files_unchanged(store):
        del records["evidence"]  # the full path re-checks every local evidence file
    deltas = {}
    for entity, fl in lines.items():
        d = row_prints.delta(fl, records.get(entity))
        if d is not None:
            deltas[entity] = d
    return lines, deltas


def _ids_in_order(parsed: Parsed, entity: str) -> list[str] | None:
    rows = parsed.entities.get(entity)
    if rows is None:
        return None
    t = rows.table
    return (
        list(t["id"].to_pylist())
        if pc.all(pc.equal(t["_i"], pa.array(range(t.num_rows)))).as_py()
        else None
    )


def _derived_per_id(batch: WriteBatch) -> dict[bytes, int]:
    """SUBJECT_TO edges per asset id (utf-8), as this batch derives them."""
    out: dict[bytes, int] = {}
    for e in batch.edges:
        if e.type == "SUBJECT_TO" and isinstance(e.rows, pa.Table):
            counts = pc.value_counts(e.rows["src"])
            for v, n in zip(counts.field("values").to_pylist(), counts.field("counts").to_pylist(),
                            strict=True):  # fmt: skip
                out[v.encode()] = n
    return out


def input_sha256(
    path: Path, files: list[Path], prints: dict[str, fingerprints.Fingerprint] | None = None
) -> str:
    """sha256 of one inventory document; for a folder, sha256 over the lines
    ``"<file sha256>  <file name>\n"`` of the folder's inventory files, sorted by name (what
    ``sha256sum assets.csv owners.csv … | LC_ALL=C sort -k2 | sha256sum`` prints), whether or
    not a file was skipped as unchanged. A file's sha256 comes from its fingerprint (``prints``,
    hashed once per load) when there is one."""
    if path.is_file():
        return sha256_file(path)
    known = {f.path.name: f.sha256 for f in (prints or {}).values()}
    lines = sorted((p.name, known.get(p.name) or sha256_file(p)) for p in set(files))
    text = "".join(f"{digest}  {name}\n" for name, digest in lines)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def load_source(
    source: Path | RawInventory,
    files: list[Path],
    prune: bool,
    prints: dict[str, fingerprints.Fingerprint] | None = None,
) -> Source:
    """Who and what, for the audit log: the input path as given and its sha256 (not for a
    request body; ``files``: the input's inventory files), and ``--prune`` in the command when
    the load may delete."""
    base = default_source("load inventory")
    command = base.command or "load inventory"
    if prune and "--prune" not in command:
        command += " --prune"
    if not isinstance(source, Path):
        return dataclasses.replace(base, command=command)
    digest = input_sha256(source, files, prints)
    return dataclasses.replace(base, command=command, input_file=str(source), input_sha256=digest)


def _rows(skipped: dict[str, dict[str, Any]]) -> dict[str, int]:
    return {e: int(r["rows"] or 0) for e, r in skipped.items()}


def _derived(skipped: dict[str, dict[str, Any]]) -> int:
    return int(skipped["assets"]["derived"] or 0) if "assets" in skipped else 0


def _new(ids: Any, existing: Any) -> int:
    unique = pc.unique(ids)
    if existing is None:  # a keyed check found none of the entity's ids
        return len(unique)
    return len(unique) - int(pc.sum(pc.is_in(unique, value_set=existing)).as_py() or 0)
