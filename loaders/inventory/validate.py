"""Validate an inventory: the pydantic models of :mod:`graph.models` are the contract.

Validation collects every problem (file, row, field, value, reason) before anything is written:
row types and enums (pydantic, :mod:`graph.models`), duplicate ids, references to unknown ids
(naming the referrer: "evidence E-17 names unknown control C-99"), ISO numbers and AI
Act articles that are not in the catalogs, and impossible dates. References may point at rows
in the same batch or already in the store, so a folder may hold only ``evidence.csv``.

Rows are checked one by one with the model (small inputs, JSON/YAML, the API body), or, for large
CSV/Parquet files, by vectorised rules derived from the same model that hand every row they are
not sure about to the model (:mod:`loaders.inventory.validate_columnar`). Either way the valid
rows end up as one typed Arrow table per entity, and the checks across rows (duplicates,
references, dates, catalogs) are computed on those columns, once, for both.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]
from pydantic import ValidationError

from graph.errors import LoadValidationError, RowError
from graph.models import ENTITIES
from loaders.catalog import shipped_catalogs
from loaders.inventory.read import RawInventory, RawRow
from loaders.inventory.validate_columnar import arrow_schema, checked_columns, model_rows, raw_row
from loaders.messages import sentence

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
STR = pa.string()


@dataclass
class EntityRows:
    """One entity's valid rows as a typed table, and where each record came from."""

    entity: str
    table: Any  # pyarrow Table: arrow_schema(entity) plus "_i", the record's index in its input
    where: Callable[[int], tuple[str, int]]  # record index -> (file, row)
    declared: Any  # pyarrow string array: the id every record declares, valid or not

    def ids(self) -> Any:
        return self.table["id"].combine_chunks()


@dataclass
class Parsed:
    """The valid rows of every entity in the input."""

    entities: dict[str, EntityRows]

    def table(self, entity: str) -> Any:
        rows = self.entities.get(entity)
        return rows.table if rows else arrow_schema(entity).empty_table()


def _model_errors(e: ValidationError, file: str, row: int | None) -> list[RowError]:
    out = []
    for err in e.errors():
        value = err.get("input")
        # a list as its items (an empty one as nothing: "should list at least 1 item" says it)
        if isinstance(value, list):
            value = ";".join(map(str, value)) or None
        shown = None if isinstance(value, dict) or value is None else str(value)[:80]
        loc = ".".join(str(p) for p in err["loc"])
        out.append(RowError(file, row, loc, sentence(err), shown))
    return out


def _validate_rows(
    entity: str, records: list[tuple[int, Any]], where: Callable[[int], tuple[str, int]]
) -> tuple[Any, list[RowError]]:
    """The model on each record: (typed table of the valid ones, with "_i"; errors). A record
    that is an instance of the model already was validated by it (an API body): taken as is."""
    model = ENTITIES[entity]
    good, index, errors = [], [], []
    for i, data in records:
        try:
            good.append(data if type(data) is model else model.model_validate(data))
        except ValidationError as e:
            errors += _model_errors(e, *where(i))
            continue
        index.append(i)
    table = model_rows(entity, good).append_column("_i", pa.array(index, pa.int64()))
    return table, errors


@dataclass
class _ColumnsWhere:
    file: str
    row_of: Callable[[], list[int]]

    def __call__(self, i: int) -> tuple[str, int]:
        return self.file, self.row_of()[i]


@dataclass
class _RowsWhere:
    rows: list[RawRow]

    def __call__(self, i: int) -> tuple[str, int]:
        return self.rows[i].file, self.rows[i].row


def _declared(values: list[Any]) -> Any:
    return pa.array([str(v) for v in values if v], STR)


def parse(raw: RawInventory) -> tuple[Parsed, list[RowError]]:
    """Validate each record on its own (model or derived vectorised rules); keep the good ones."""
    errors: list[RowError] = []
    out: dict[str, EntityRows] = {}
    for entity in raw.entities():
        if entity in raw.columns:
            cols = raw.columns[entity]
            checked = checked_columns(cols)

            where: Callable[[int], tuple[str, int]] = _ColumnsWhere(cols.file, cols.row_of)

            records = [(i, raw_row(cols, i)) for i in checked.suspicious]
            slow, errs = _validate_rows(entity, records, where)
            table = pa.concat_tables([checked.typed, slow])
            table = table.take(pc.sort_indices(table["_i"]))
            ids = cols.table["id"] if "id" in cols.table.column_names else pa.nulls(0, STR)
            if pa.types.is_string(ids.type):
                declared = pc.filter(ids, _mask(pc.not_equal(ids, ""))).combine_chunks()
            else:
                declared = _declared(ids.to_pylist())
        else:
            rows = raw.rows[entity]

            where = _RowsWhere(rows)

            records = [(i, r.data if r.model is None else r.model) for i, r in enumerate(rows)]
            table, errs = _validate_rows(entity, records, where)
            declared = _declared([r.data.get("id") for r in rows])
        errors += errs
        out[entity] = EntityRows(entity, table, where, declared)
    return Parsed(out), errors


def exploded(table: Any, field: str) -> tuple[Any, Any]:
    """(row index, value) pairs of a list or single-reference column, in row order."""
    values = table[field].combine_chunks()
    if pa.types.is_list(values.type):
        return pc.list_parent_indices(values), pc.list_flatten(values)
    given = pc.fill_null(pc.not_equal(pc.fill_null(values, ""), ""), False)
    parents = pc.indices_nonzero(given)
    return parents, pc.take(values, parents)


def _mask(values: Any) -> Any:
    return pc.fill_null(values, False)


def _hits(mask: Any) -> list[int]:
    return list(np.flatnonzero(_mask(mask).to_numpy(zero_copy_only=False)).tolist())


def _duplicates(parsed: Parsed) -> list[RowError]:
    errors = []
    for entity, rows in parsed.entities.items():
        ids = rows.ids()
        counts = pc.value_counts(ids)
        dup = counts.field("values").filter(pc.greater(counts.field("counts"), 1))
        if not len(dup):
            continue
        seen: dict[str, tuple[str, int]] = {}
        at = rows.table["_i"].to_pylist()
        for k in _hits(pc.is_in(ids, value_set=dup)):
            key, (file, row) = ids[k].as_py(), rows.where(at[k])
            if key in seen:
                first = seen[key]
                msg = f"duplicate {SINGULAR[entity]} id (first at {first[0]} row {first[1]})"
                errors.append(RowError(file, row, "id", msg, key))
            seen.setdefault(key, (file, row))
    return errors


def _unknown(parsed: Parsed, entity: str, field: str, known: Any) -> list[tuple[int, str, str]]:
    """(record index, row's id, value) for every value of the field not in ``known``."""
    rows = parsed.entities[entity]
    parents, values = exploded(rows.table, field)
    bad = _hits(pc.invert(pc.is_in(values, value_set=known)))
    if not bad:
        return []
    at, ids = rows.table["_i"].combine_chunks(), rows.ids()
    out = []
    for k in bad:
        p = parents[k].as_py()
        out.append((at[p].as_py(), ids[p].as_py(), values[k].as_py()))
    return out


def _references(parsed: Parsed, existing: dict[str, Any]) -> list[RowError]:
    # Rows that failed validation still declare their id: do not cascade "unknown" errors.
    known: dict[str, Any] = {}
    for e in ENTITIES:
        parts = [existing[e]] if e in existing else []
        if e in parsed.entities:
            parts.append(parsed.entities[e].declared)
        known[e] = pa.concat_arrays([pa.array([], STR), *[p.cast(STR) for p in parts]])
    errors = []
    for (entity, fld), target in REFERENCES.items():
        if entity not in parsed.entities:
            continue
        for i, me_id, ref in _unknown(parsed, entity, fld, known[target]):
            file, row = parsed.entities[entity].where(i)
            msg = f"{SINGULAR[entity]} {me_id} names unknown {SINGULAR[target]} {ref}"
            errors.append(RowError(file, row, fld, msg, ref))
    if "controls" not in parsed.entities:
        return errors
    cats = shipped_catalogs()
    iso = pa.array(sorted({c.number for c in cats.iso.clauses}), STR)
    aia = {str(a.number) for a in cats.ai_act.articles} | {x.id for x in cats.ai_act.annexes}
    found: list[tuple[int, int, RowError]] = []
    for order, (fld, allowed, what) in enumerate(
        [
            ("implements", iso, "ISO/IEC 42001 number"),
            ("addresses", pa.array(sorted(aia), STR), "AI Act article"),
        ]
    ):
        for i, me_id, value in _unknown(parsed, "controls", fld, allowed):
            file, row = parsed.entities["controls"].where(i)
            msg = f"control {me_id} names unknown {what} {value}"
            found.append((i, order, RowError(file, row, fld, msg, value)))
    # as the row-by-row loop reported them: per control, its ISO numbers, then its articles
    return errors + [e for *_, e in sorted(found, key=lambda f: (f[0], f[1]))]


def _dates(parsed: Parsed) -> list[RowError]:
    errors = []
    if "evidence" in parsed.entities:
        rows = parsed.entities["evidence"]
        t = rows.table
        early = _mask(pc.less(t["valid_until"], t["collected_on"]))
        bad_kind = pc.and_(
            pc.greater(pc.list_value_length(t["reports"]), 0),
            pc.not_equal(t["kind"], "notification"),
        )
        at = t["_i"].combine_chunks()
        for k in _hits(pc.or_(early, _mask(bad_kind))):
            file, row = rows.where(at[k].as_py())
            if early[k].as_py():
                errors.append(RowError(file, row, "valid_until", "is before collected_on",
                                       str(t["valid_until"][k].as_py())))  # fmt: skip
            if _mask(bad_kind)[k].as_py():
                msg = "only evidence of kind notification reports incidents"
                errors.append(RowError(file, row, "reports", msg))
    if "incidents" in parsed.entities:
        rows = parsed.entities["incidents"]
        t = rows.table
        aware = _mask(pc.less(t["aware_on"], t["occurred_on"]))
        reported = _mask(pc.less(t["reported_on"], t["occurred_on"]))
        at = t["_i"].combine_chunks()
        for k in _hits(pc.or_(aware, reported)):
            file, row = rows.where(at[k].as_py())
            if aware[k].as_py():
                value = str(t["aware_on"][k].as_py())
                errors.append(RowError(file, row, "aware_on", "is before occurred_on", value))
            if reported[k].as_py():
                value = str(t["reported_on"][k].as_py())
                errors.append(RowError(file, row, "reported_on", "is before occurred_on", value))
    return errors


def named_ids(parsed: Parsed) -> dict[str, list[str]]:
    """Per entity, every id the batch names: its own rows' ids and every reference to one (what
    a keyed existence check must look up; nothing else in the store matters to the batch)."""
    out: dict[str, set[str]] = {}
    for entity, rows in parsed.entities.items():
        out.setdefault(entity, set()).update(rows.declared.to_pylist())
    for (entity, fld), target in REFERENCES.items():
        if entity in parsed.entities:
            _, values = exploded(parsed.entities[entity].table, fld)
            out.setdefault(target, set()).update(v for v in values.to_pylist() if v)
    return {e: sorted(ids) for e, ids in out.items() if ids}


def _uris(parsed: Parsed, base_dir: Path | None) -> list[RowError]:
    """A path without a scheme names a file inside the inventory folder (docs/formats.md): one
    that leaves it (``../x``, ``/etc/x``) is refused, not taken for a remote item and left
    unhashed. ``file:///…`` names an absolute path on purpose."""
    if base_dir is None or "evidence" not in parsed.entities:
        return []
    rows = parsed.entities["evidence"]
    t = rows.table
    schemeless = pc.invert(_mask(pc.match_substring_regex(t["uri"], SCHEME)))
    base = base_dir.resolve()
    at = t["_i"].combine_chunks()
    errors = []
    for k in _hits(pc.and_(pc.is_valid(t["uri"]), schemeless)):
        uri = t["uri"][k].as_py()
        if not (base / uri).resolve().is_relative_to(base):
            file, row = rows.where(at[k].as_py())
            errors.append(RowError(file, row, "uri", "a path outside the inventory folder; use "
                                   "file:///… for an absolute path", uri))  # fmt: skip
    return errors


SCHEME = r"^[A-Za-z][A-Za-z0-9+.-]+:"  # http:, https:, s3:, file: (not a drive letter, C:)


Existing = dict[str, Any] | Callable[[Parsed], dict[str, Any]]


def validate(raw: RawInventory, existing: Existing) -> Parsed:
    """The whole batch, every problem at once; raise LoadValidationError if there is any.

    ``existing``: per entity, the ids already in the store (an Arrow string array), or a
    function of the parsed batch that returns them (it need only know the ids the batch names,
    :func:`named_ids`)."""
    parsed, errors = parse(raw)
    known = existing(parsed) if callable(existing) else existing
    errors += _duplicates(parsed) + _dates(parsed) + _references(parsed, known)
    errors += _uris(parsed, raw.base_dir)
    if errors:
        raise LoadValidationError(sorted(errors, key=lambda e: (e.file, e.row or 0)))
    return parsed
