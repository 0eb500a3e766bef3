"""Read an inventory from disk into raw rows that remember where they came from.

Accepted (docs/formats.md): a folder with any of ``owners``, ``assets``, ``datasets``,
``controls``, ``evidence``, ``incidents`` as ``.csv``, ``.yaml``/``.yml``, ``.json`` or
``.parquet``; or one JSON/YAML document with those keys. CSV list cells are ``;``-separated;
Parquet list columns are Arrow lists of strings or ``;``-separated strings. Nothing is validated
here beyond the file's own syntax and columns; rows go to pydantic next.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graph.errors import LoadValidationError, RowError
from graph.models import ENTITIES
from loaders.inventory.cells import csv_cell, raw_value
from loaders.yaml_lines import load_yaml, strip_lines

if TYPE_CHECKING:
    from loaders.inventory.validate_columnar import Columns

EXTENSIONS = (".csv", ".yaml", ".yml", ".json", ".parquet")
MAX_FILE_BYTES = 512 * 1024 * 1024
csv.field_size_limit(1024 * 1024)  # a 1 MiB cell is already far past any legitimate field


@dataclass(frozen=True)
class RawRow:
    entity: str
    data: dict[str, Any]
    file: str
    row: int  # CSV line number, YAML line, or 1-based item number in JSON
    path: str  # JSON-path-like location, e.g. "evidence[3]"
    # The entity model ``data`` was dumped from, if it was validated already (``POST /ingest``'s
    # body): validation takes it as is instead of validating ``data`` a second time.
    model: Any = None


@dataclass
class RawInventory:
    rows: dict[str, list[RawRow]]
    base_dir: Path | None  # relative evidence uris resolve against this; None: not read
    sources: dict[str, str]  # entity -> file it came from
    # entity -> its rows as Arrow columns (large CSV/Parquet files; not in ``rows``)
    columns: dict[str, Columns] = field(default_factory=dict)

    def entities(self) -> list[str]:
        return [e for e in ENTITIES if e in self.rows or e in self.columns]


def _fail(file: Path | str, message: str, row: int | None = None) -> LoadValidationError:
    return LoadValidationError([RowError(str(file), row, None, message)])


def _text(path: Path) -> str:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise _fail(path, f"file is larger than {MAX_FILE_BYTES // 2**20} MiB")
        data = path.read_bytes()
    except OSError as e:
        raise _fail(path, f"cannot read: {e.strerror or e}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        msg = f"not UTF-8 (byte {e.start} on line {line}); save the file as UTF-8"
        raise _fail(path, msg, line) from None
    if not text.strip():
        raise _fail(path, "the file is empty")
    return text


def header_errors(path: Path, entity: str, header: list[str]) -> list[RowError]:
    """Unknown or duplicate columns and missing required ones (reported on row 1)."""
    allowed = set(ENTITIES[entity].model_fields)
    required = {n for n, f in ENTITIES[entity].model_fields.items() if f.is_required()}
    errors = [RowError(str(path), 1, h, "unknown column") for h in header if h not in allowed]
    errors += [
        RowError(str(path), 1, h, "column appears twice")
        for h in set(header)
        if header.count(h) > 1
    ]
    errors += [
        RowError(str(path), 1, r, "required column is missing")
        for r in sorted(required - set(header))
    ]
    return errors


def read_csv(path: Path, entity: str) -> list[RawRow]:
    """CSV with a header row; unknown or duplicate columns and missing required ones are errors."""
    reader = csv.reader(io.StringIO(_text(path), newline=""))
    try:
        header = [h.strip() for h in next(reader)]
        errors = header_errors(path, entity, header)
        if errors:
            raise LoadValidationError(errors)
        rows: list[RawRow] = []
        for cells in reader:
            line = reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(header):
                msg = f"has {len(cells)} cells, the header has {len(header)}"
                errors.append(RowError(str(path), line, None, msg))
                continue
            data = {h: csv_cell(entity, h, c) for h, c in zip(header, cells, strict=True)}
            rows.append(RawRow(entity, data, str(path), line, f"{entity}[{len(rows)}]"))
    except csv.Error as e:
        raise _fail(path, f"malformed CSV: {e}", reader.line_num) from None
    if errors:
        raise LoadValidationError(errors)
    return rows


def read_parquet_table(path: Path, entity: str) -> Any:
    """The Parquet file as an Arrow table, its columns checked like a CSV header."""
    import pyarrow as pa  # type: ignore[import-untyped]
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise _fail(path, f"file is larger than {MAX_FILE_BYTES // 2**20} MiB")
        table = pq.read_table(path)
    except (OSError, pa.ArrowException) as e:
        raise _fail(path, f"not a readable Parquet file: {e}") from None
    errors = header_errors(path, entity, table.column_names)
    errors += [
        RowError(str(path), 1, f.name, f"unsupported Parquet column type {f.type}")
        for f in table.schema
        if pa.types.is_nested(f.type) and not pa.types.is_list(f.type)
        and not pa.types.is_large_list(f.type)
    ]  # fmt: skip
    if errors:
        raise LoadValidationError(errors)
    return table


def read_parquet(path: Path, entity: str) -> list[RawRow]:
    """Parquet: the CSV columns; lists as Arrow lists of strings or `;`-strings; nulls absent.

    Rows are numbered from 1 (the first data row). Values keep their Arrow types (date32 becomes
    a date, int64 an int), so a wrong type is reported by the model like any other bad value.
    """
    table = read_parquet_table(path, entity)
    columns = {name: table.column(name).to_pylist() for name in table.column_names}
    rows = []
    for i in range(table.num_rows):
        data = {k: raw_value(entity, k, col[i]) for k, col in columns.items() if col[i] is not None}
        rows.append(RawRow(entity, data, str(path), i + 1, f"{entity}[{i}]"))
    return rows


def _rows_from_list(
    items: Any, entity: str, file: str, lines: dict[Any, int], prefix: tuple[Any, ...]
) -> list[RawRow]:
    if not isinstance(items, list):
        raise _fail(file, f"'{entity}' must be a list of {entity} rows")
    rows = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise LoadValidationError(
                [
                    RowError(
                        file, lines.get((*prefix, i), i + 1), f"{entity}[{i}]", "must be a mapping"
                    )
                ]
            )
        rows.append(RawRow(entity, item, file, lines.get((*prefix, i), i + 1), f"{entity}[{i}]"))
    return rows


def _structured(path: Path) -> tuple[Any, dict[Any, int]]:
    if path.suffix == ".json":
        try:
            return json.loads(_text(path)), {}
        except json.JSONDecodeError as e:
            raise _fail(path, f"bad JSON: {e.msg} (column {e.colno})", e.lineno) from None
    _text(path)  # encoding, size and emptiness checks with the same messages as CSV
    return strip_lines(load_yaml(path))


def read_document(path: Path) -> RawInventory:
    """One JSON/YAML document with the six entity keys."""
    data, lines = _structured(path)
    if not isinstance(data, dict):
        raise _fail(path, "expected an object with keys " + ", ".join(ENTITIES))
    unknown = sorted(set(data) - set(ENTITIES))
    if unknown:
        raise LoadValidationError(
            [RowError(str(path), lines.get((k,)), k, "unknown key") for k in unknown]
        )
    rows = {e: _rows_from_list(data[e], e, str(path), lines, (e,)) for e in ENTITIES if e in data}
    return RawInventory(rows, path.parent, {e: str(path) for e in rows})


def _read_columns(path: Path, entity: str) -> Columns | None:
    """A large CSV/Parquet file as Arrow columns (None: read it row by row)."""
    from loaders.inventory import validate_columnar as col

    try:
        size = path.stat().st_size
    except OSError:
        return None
    if size < col.COLUMNAR_MIN_BYTES or size > MAX_FILE_BYTES:
        return None
    if path.suffix == ".csv":
        cols = col.read_csv_columns(path, entity)
        if cols is not None and header_errors(path, entity, cols.table.column_names):
            return None  # the row reader reports them
        return cols
    table = read_parquet_table(path, entity)
    if any(pa_large_list(t) for t in table.schema.types):
        return None
    return col.parquet_columns(path, entity, table)


def pa_large_list(t: Any) -> bool:
    import pyarrow as pa

    return bool(pa.types.is_large_list(t))


def read_folder(folder: Path, skip: frozenset[str] = frozenset()) -> RawInventory:
    """The folder's entity files; the entities in ``skip`` are not read (their files' fingerprints
    are current: loaders/inventory/fingerprints.py)."""
    rows: dict[str, list[RawRow]] = {}
    columns: dict[str, Columns] = {}
    sources: dict[str, str] = {}
    errors: list[RowError] = []
    for entity in ENTITIES:
        found = [
            folder / f"{entity}{ext}" for ext in EXTENSIONS if (folder / f"{entity}{ext}").is_file()
        ]
        if len(found) > 1:
            errors.append(
                RowError(
                    str(folder), None, entity, "given twice: " + ", ".join(p.name for p in found)
                )
            )
            continue
        if not found or entity in skip:
            continue
        path = found[0]
        try:
            cols = _read_columns(path, entity) if path.suffix in (".csv", ".parquet") else None
            if cols is not None:
                columns[entity] = cols
            elif path.suffix == ".csv":
                rows[entity] = read_csv(path, entity)
            elif path.suffix == ".parquet":
                rows[entity] = read_parquet(path, entity)
            else:
                data, lines = _structured(path)
                rows[entity] = _rows_from_list(data, entity, str(path), lines, ())
            sources[entity] = str(path)
        except LoadValidationError as e:
            errors.extend(e.errors)
    if errors:
        raise LoadValidationError(errors)
    if not sources and not skip:
        names = ", ".join(f"{e}.csv|yaml|json|parquet" for e in ENTITIES)
        raise _fail(folder, f"no inventory files found (expected any of {names})")
    return RawInventory(rows, folder, sources, columns)


def read_inventory(path: Path, skip: frozenset[str] = frozenset()) -> RawInventory:
    """A folder of per-entity files (but those in ``skip``), or one JSON/YAML document."""
    if path.is_dir():
        return read_folder(path, skip)
    if path.is_file() and path.suffix in (".json", ".yaml", ".yml"):
        return read_document(path)
    if not path.exists():
        raise _fail(path, "no such file or folder")
    raise _fail(path, "expected a folder, or a .json/.yaml inventory document")
