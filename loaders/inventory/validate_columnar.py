"""Large CSV and Parquet inventories as Arrow columns, checked with vectorised rules.

The rules are not written here: they are *derived* from the pydantic model (graph/models.py),
field by field (:func:`field_specs`): its type (text, one of a Literal's values, date, integer,
flag, list of ids), its ``StringConstraints`` (pattern, lengths, lower-casing), its numeric bounds,
whether it is required and its default, and what its ``BeforeValidator`` makes of a blank cell
(found by calling it). The vectorised pass is a *filter*, not a second validator: it accepts only
values in canonical form that the model certainly accepts, and converts them exactly as the model
would. Every other row ("suspicious": a bad value, but also one it is merely unsure about, such
as a date with a time, or a name ending in a non-breaking space) is given, as the same dict the
row reader builds, to the pydantic model itself, which produces the error messages or the value.
So errors are pydantic's, with the same file, row, field and value, whichever path a row took;
``tests/loaders/test_columnar.py`` and the hypothesis bad-input test check both paths agree.

A small sample of the rows the filter accepted is re-validated by the model on every load; a
disagreement (a bug here) is a warning, and the whole file then goes through the model.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import types
import typing
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal

import annotated_types
import numpy as np
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]
from pydantic import BeforeValidator, StringConstraints, TypeAdapter, ValidationError
from pydantic.fields import FieldInfo

from graph.models import ENTITIES, IsoOnly, Row
from loaders.inventory.cells import csv_cell, raw_value

# A CSV or Parquet file at least this large is read as columns (smaller: row by row).
COLUMNAR_MIN_BYTES = 1 << 20
SAMPLE = 64  # rows the filter accepted that the model re-checks, per file
NO = object()  # "this field has no blank-cell validator"
Kind = Literal["str", "enum", "date", "int", "bool", "list", "other"]
PRINTABLE = r"[\x21-\x7e]"
# The text checks as regexes (the code uses cheaper equivalents; a test keeps them equal):
EDGES = rf"(?s)^{PRINTABLE}(.*{PRINTABLE})?$"  # no whitespace of any kind at either end
ASCII_ONLY = r"^[\x20-\x7e]*$"
DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
INT = r"^(0|-?[1-9][0-9]{0,17})$"
# A cell of only whitespace that is not all ASCII whitespace (str.strip() empties it, Arrow's
# ASCII trim does not).
_ODD = r"\x1c-\x1f\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}"
ODD_BLANK = rf"^[\t\n\x0b\x0c\r {_ODD}]*[{_ODD}][\t\n\x0b\x0c\r {_ODD}]*$"


@dataclass(frozen=True)
class FieldSpec:
    """What the model says about one field, as far as the vectorised filter needs it."""

    name: str
    kind: Kind
    required: bool = False
    default: Any = None
    optional: bool = False  # None is a valid value
    blank: Any = NO  # what a blank string becomes before validation (BeforeValidator)
    choices: tuple[str, ...] = ()
    pattern: str | None = None
    min_len: int | None = None
    max_len: int | None = None
    to_lower: bool = False
    ge: int | None = None
    le: int | None = None
    item: FieldSpec | None = None  # a list's elements
    min_items: int | None = None

    @property
    def arrow(self) -> Any:
        return {"str": pa.string(), "enum": pa.string(), "date": pa.date32(), "int": pa.int64(),
                "bool": pa.bool_(), "list": pa.list_(pa.string())}.get(self.kind)  # fmt: skip


def _constraints(meta: list[Any], out: dict[str, Any]) -> bool:
    """Fold constraint metadata into ``out``; False when one is not understood."""
    for m in meta:
        if isinstance(m, StringConstraints):
            if m.strip_whitespace is False or m.to_upper or m.strict or m.ascii_only:
                return False
            out |= {"pattern": m.pattern, "min_len": m.min_length, "max_len": m.max_length,
                    "to_lower": bool(m.to_lower)}  # fmt: skip
        elif isinstance(m, annotated_types.Ge):
            out["ge"] = m.ge
        elif isinstance(m, annotated_types.Le):
            out["le"] = m.le
        elif isinstance(m, annotated_types.MinLen):
            out["min_items"] = m.min_length
        elif isinstance(m, FieldInfo):
            if not _constraints(list(m.metadata), out):
                return False
        elif isinstance(m, IsoOnly):
            pass  # the vectorised date check takes YYYY-MM-DD only, never a number
        else:
            return False
    return True


def _type_spec(name: str, annotation: Any, meta: list[Any]) -> FieldSpec:
    out: dict[str, Any] = {}
    optional = False
    while True:
        origin = typing.get_origin(annotation)
        if origin is Annotated:
            annotation, *extra = typing.get_args(annotation)
            meta = meta + extra
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            optional = optional or len(args) < len(typing.get_args(annotation))
            if len(args) != 1:
                return FieldSpec(name, "other")
            annotation = args[0]
        else:
            break
    for m in meta:
        if isinstance(m, BeforeValidator):
            return FieldSpec(name, "other")  # only the outermost validator is understood
    if not _constraints(meta, out):
        return FieldSpec(name, "other")
    origin = typing.get_origin(annotation)
    if origin is Literal and all(isinstance(a, str) for a in typing.get_args(annotation)):
        return FieldSpec(name, "enum", optional=optional, choices=typing.get_args(annotation))
    if origin is list:
        item = _type_spec(name, typing.get_args(annotation)[0], [])
        if item.kind != "str" or item.optional:
            return FieldSpec(name, "other")
        return FieldSpec(name, "list", optional=optional, item=item,
                         min_items=out.get("min_items"))  # fmt: skip
    kinds: dict[Any, Kind] = {str: "str", bool: "bool", int: "int", dt.date: "date"}
    kind = kinds.get(annotation)
    if kind is None:
        return FieldSpec(name, "other")
    return FieldSpec(name, kind, optional=optional, **out)


def _field_spec(name: str, info: FieldInfo) -> FieldSpec:
    meta = list(info.metadata)
    blank: Any = NO
    validators = [m for m in meta if isinstance(m, BeforeValidator)]
    for v in validators:
        meta.remove(v)
    if len(validators) > 1:
        return FieldSpec(name, "other")
    if validators:
        func = validators[0].func
        probe = "x-probe"
        if func(probe) is not probe:  # type: ignore[call-arg]
            return FieldSpec(name, "other")  # changes non-blank values too: not understood
        blank = func("")  # type: ignore[call-arg]
        if func("  ") != blank:  # type: ignore[call-arg]
            return FieldSpec(name, "other")
    spec = _type_spec(name, info.annotation, meta)
    required = info.is_required()
    default = None if required else info.get_default(call_default_factory=True)
    return FieldSpec(**{**spec.__dict__, "required": required, "default": default,
                        "blank": blank})  # fmt: skip


@cache
def field_specs(entity: str) -> dict[str, FieldSpec]:
    """The vectorised view of one entity's pydantic model, derived from its field metadata."""
    model = ENTITIES[entity]
    return {name: _field_spec(name, info) for name, info in model.model_fields.items()}


@cache
def bool_tokens() -> dict[str, bool]:
    """The strings (lower-cased) the model reads as a flag, asked of pydantic itself: the bulk
    path must take exactly what the row path takes, in any case (``On``, ``NO``)."""
    adapter = TypeAdapter(bool)
    out = {}
    for token in ("true", "false", "1", "0", "yes", "no", "on", "off", "t", "f", "y", "n"):
        try:
            out[token] = adapter.validate_python(token)
        except ValidationError:
            continue
    return out


def arrow_schema(entity: str) -> Any:
    """The typed columns of one entity's valid rows (every model field)."""
    specs = field_specs(entity)
    return pa.schema([(s.name, s.arrow or pa.string()) for s in specs.values()])


# -- reading ------------------------------------------------------------------------------------
@dataclass
class Columns:
    """One entity's rows from one CSV or Parquet file, untyped (CSV: strings as written)."""

    entity: str
    file: str
    table: Any  # pyarrow Table
    source: Literal["csv", "parquet"]
    row_of: Callable[[], list[int]]  # row number (as the row reader numbers rows) per record


def csv_lines(path: Path) -> Callable[[], list[int]]:
    """The line number the row reader reports for each non-blank record (computed once, lazily:
    only error messages need it)."""
    memo: list[list[int]] = []

    def lines() -> list[int]:
        if not memo:
            text = path.read_bytes().decode("utf-8-sig")
            reader = csv.reader(io.StringIO(text, newline=""))
            next(reader)
            memo.append([reader.line_num for cells in reader if any(c.strip() for c in cells)])
        return memo[0]

    return lines


def read_csv_columns(
    path: Path,
    entity: str,
    data: bytes | None = None,
    row_of: Callable[[], list[int]] | None = None,
) -> Columns | None:
    """Read a CSV file as string columns; None when anything is unusual (the row reader then
    reads it and reports its problems with the usual messages). ``data``: some of the file's
    records (with its header) to read instead of the file, and ``row_of`` their row numbers."""
    import pyarrow.csv as pcsv  # type: ignore[import-untyped]

    try:
        if data is None:
            with path.open("rb") as f:
                head = f.read(1 << 16)
        else:
            head = data[: 1 << 16]
        first = head.decode("utf-8-sig", errors="strict").splitlines()[0]
        header = next(csv.reader([first]))
        if '"' in first or len(set(header)) != len(header):
            return None
        table = pcsv.read_csv(
            path if data is None else pa.BufferReader(data),
            parse_options=pcsv.ParseOptions(newlines_in_values=True),
            convert_options=pcsv.ConvertOptions(
                column_types=dict.fromkeys(header, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (OSError, UnicodeDecodeError, IndexError, StopIteration, pa.ArrowException):
        return None
    if table.column_names != header or not all(pa.types.is_string(t) for t in table.schema.types):
        return None
    if table.num_columns == 0:
        return None
    blank = pc.equal(pc.ascii_trim_whitespace(table.column(0)), "")
    for col in table.columns[1:]:
        blank = pc.and_(blank, pc.equal(pc.ascii_trim_whitespace(col), ""))
    # The row reader skips rows whose cells are all blank to str.strip(), which also strips
    # some non-ASCII whitespace; such a row has a blank first cell, so only those are compared.
    first = table.column(0)
    maybe = pc.or_(pc.equal(pc.ascii_trim_whitespace(first), ""),
                   _mask(pc.match_substring_regex(first, ODD_BLANK)))  # fmt: skip
    for i in pc.indices_nonzero(maybe).to_pylist():
        skipped = not any(str(v).strip() for v in table.slice(i, 1).to_pylist()[0].values())
        if skipped != blank[i].as_py():
            return None  # let the row reader decide
    if pc.any(blank).as_py():  # rows of blank cells: the row reader skips them; so do we
        table = table.filter(pc.invert(blank))
    table = table.rename_columns([h.strip() for h in header])
    return Columns(entity, str(path), table, "csv", row_of or csv_lines(path))


def parquet_columns(path: Path, entity: str, table: Any) -> Columns:
    return Columns(entity, str(path), table, "parquet", lambda: list(range(1, table.num_rows + 1)))


# -- the vectorised filter ----------------------------------------------------------------------
def _mask(values: Any) -> Any:
    """A boolean array with nulls as False."""
    return pc.fill_null(values, False)


def _printable(chars: Any) -> Any:
    """One-character strings: a printable ASCII character other than space (byte-wise)."""
    return pc.and_(pc.greater(chars, " "), pc.less(chars, "\x7f"))


def _str_checks(spec: FieldSpec, t: Any) -> Any:
    """OK mask for trimmed, non-blank strings against a text spec."""
    # EDGES, without a regex: no whitespace (of any kind) at either end, not empty
    first, last = pc.utf8_slice_codeunits(t, 0, 1), pc.utf8_slice_codeunits(t, -1)
    ok = _mask(pc.and_(_printable(first), _printable(last)))
    if spec.pattern is not None or spec.to_lower:
        ok = pc.and_(ok, _mask(pc.ascii_is_printable(t)))  # ASCII_ONLY
    if spec.pattern is not None:
        ok = pc.and_(ok, _mask(pc.match_substring_regex(t, spec.pattern)))
    n = pc.utf8_length(t)
    if spec.min_len is not None:
        ok = pc.and_(ok, _mask(pc.greater_equal(n, spec.min_len)))
    if spec.max_len is not None:
        ok = pc.and_(ok, _mask(pc.less_equal(n, spec.max_len)))
    return ok


def _scalar_from_strings(spec: FieldSpec, raw: Any) -> tuple[Any, Any]:
    """(typed values, ok) for non-null raw strings of a scalar field."""
    t = pc.ascii_trim_whitespace(raw)
    untrimmed = pc.not_equal(raw, t)
    if spec.kind == "str":
        ok = _str_checks(spec, t)
        values = pc.utf8_lower(t) if spec.to_lower else t
    elif spec.kind == "enum":
        ok = pc.and_(pc.invert(untrimmed), pc.is_in(t, value_set=pa.array(spec.choices)))
        values = t
    elif spec.kind == "bool":
        tokens, low = bool_tokens(), pc.utf8_lower(t)
        ok = pc.and_(pc.invert(untrimmed), pc.is_in(low, value_set=pa.array(list(tokens))))
        truthy = [k for k, v in tokens.items() if v]
        values = pc.is_in(low, value_set=pa.array(truthy))
    elif spec.kind == "date":
        ok = pc.and_(_mask(pc.match_substring_regex(t, DATE)), pc.invert(untrimmed))
        ok = pc.and_(ok, _real_dates(t))
        values = pc.cast(pc.if_else(ok, t, "1970-01-01"), pa.date32())
    elif spec.kind == "int":
        shape = pc.and_(_mask(pc.match_substring_regex(t, INT)), pc.invert(untrimmed))
        values = pc.cast(pc.if_else(shape, t, "0"), pa.int64())
        ok = pc.and_(shape, _int_bounds(spec, values))
    else:
        raise ValueError(f"no vectorised check for {spec.kind} fields")
    return values, ok


DAYS = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])


def _real_dates(t: Any) -> Any:
    """For YYYY-MM-DD strings: the date exists (year 1 or later, a real month and day)."""

    def part(start: int, stop: int) -> Any:
        digits = pc.utf8_slice_codeunits(t, start, stop)
        number = pc.if_else(_mask(pc.match_substring_regex(digits, "^[0-9]+$")), digits, "0")
        return pc.cast(number, pa.int64()).to_numpy(zero_copy_only=False)

    y, m, d = part(0, 4), part(5, 7), part(8, 10)
    month_ok = (m >= 1) & (m <= 12)
    leap = (y % 4 == 0) & ((y % 100 != 0) | (y % 400 == 0))
    last = DAYS[np.clip(m, 1, 12) - 1] + ((m == 2) & leap)
    return pa.array((y >= 1) & month_ok & (d >= 1) & (d <= last))


def _int_bounds(spec: FieldSpec, values: Any) -> Any:
    ok = pa.array(np.ones(len(values), dtype=bool))
    if spec.ge is not None:
        ok = pc.and_(ok, _mask(pc.greater_equal(values, spec.ge)))
    if spec.le is not None:
        ok = pc.and_(ok, _mask(pc.less_equal(values, spec.le)))
    return ok


def _list_items(spec: FieldSpec, lists: Any, drop_blank: bool) -> tuple[Any, Any]:
    """(list<string> values, ok) from a list<string> array: items trimmed, blanks dropped.

    ``drop_blank``: items that trim to nothing are dropped (the CSV ``;`` splitter); otherwise
    only exactly-empty items are dropped (Parquet lists) and a blank item is left to the model.
    """
    assert spec.item is not None  # noqa: S101
    n = len(lists)
    lists = pc.fill_null(lists, pa.scalar([], lists.type))
    parents = pc.list_parent_indices(lists).to_numpy(zero_copy_only=False)
    flat = pc.list_flatten(lists)
    ok = np.ones(n, dtype=bool)
    null_item = pc.is_null(flat).to_numpy(zero_copy_only=False)
    ok[parents[null_item]] = False
    flat = pc.fill_null(flat, "")
    t = pc.ascii_trim_whitespace(flat)
    keep = pc.not_equal(t if drop_blank else flat, "").to_numpy(zero_copy_only=False)
    item_ok = _str_checks(spec.item, t).to_numpy(zero_copy_only=False)
    ok[parents[keep & ~item_ok]] = False
    kept_parents = parents[keep]
    counts = np.bincount(kept_parents, minlength=n)
    if spec.min_items is not None:
        ok &= counts >= spec.min_items
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int32)
    items = pc.utf8_lower(t) if spec.item.to_lower else t
    values = pa.ListArray.from_arrays(pa.array(offsets), items.filter(pa.array(keep)))
    return values, pa.array(ok)


def _convert(spec: FieldSpec, col: Any, source: str) -> tuple[Any, Any]:
    """(typed values, ok) for one column; ok False means "ask the model"."""
    n = len(col)
    col = col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
    missing = pc.is_null(col)
    if spec.kind == "other" or spec.arrow is None:
        return pa.nulls(n, spec.arrow or pa.string()), pa.array(np.zeros(n, dtype=bool))
    if spec.kind == "list":
        if pa.types.is_string(col.type):
            values, ok = _list_items(spec, pc.split_pattern(col, ";"), drop_blank=True)
        elif pa.types.is_list(col.type) and pa.types.is_string(col.type.value_type):
            values, ok = _list_items(spec, col, drop_blank=False)
        else:
            return pa.nulls(n, spec.arrow), pa.array(np.zeros(n, dtype=bool))
    elif pa.types.is_string(col.type):
        values, ok = _scalar_from_strings(spec, pc.fill_null(col, ""))
        if spec.blank is not NO:
            # ASCII whitespace only: any other blank-looking cell goes to the model
            blank = pc.equal(pc.ascii_trim_whitespace(pc.fill_null(col, "x")), "")
            if spec.blank is None and not spec.optional:
                ok = pc.and_(ok, pc.invert(blank))
            else:
                value = pa.scalar(spec.blank, spec.arrow)
                values = pc.if_else(blank, value, values)
                ok = pc.or_(ok, blank)
    elif pa.types.is_date32(col.type) and spec.kind == "date":
        values, ok = col, pa.array(np.ones(n, dtype=bool))
    elif pa.types.is_int64(col.type) and spec.kind == "int":
        values, ok = col, _int_bounds(spec, pc.fill_null(col, 0))
    elif pa.types.is_boolean(col.type) and spec.kind == "bool":
        values, ok = col, pa.array(np.ones(n, dtype=bool))
    else:
        return pa.nulls(n, spec.arrow), pa.array(np.zeros(n, dtype=bool))
    if pc.any(missing).as_py():  # a Parquet null: the field is absent from the row
        if spec.required:
            ok = pc.and_(ok, pc.invert(missing))
        else:
            values = pc.if_else(missing, pa.scalar(spec.default, spec.arrow), values)
            ok = pc.or_(ok, missing)
    return values, ok


@dataclass
class Checked:
    """The rows of one file: the typed rows the filter accepted and the ones it did not."""

    typed: Any  # pyarrow Table, arrow_schema(entity) plus "_i" (record index in the file)
    suspicious: list[int]  # record indices for the model


def vectorised(cols: Columns) -> Checked:
    """Run the derived filter over every column of a file."""
    specs = field_specs(cols.entity)
    n = cols.table.num_rows
    ok = pa.array(np.ones(n, dtype=bool))
    arrays = []
    for name, spec in specs.items():
        if name in cols.table.column_names:
            values, col_ok = _convert(spec, cols.table[name], cols.source)
        elif spec.required:
            values, col_ok = pa.nulls(n, spec.arrow), pa.array(np.zeros(n, dtype=bool))
        else:
            values = pa.array([spec.default] * n, spec.arrow or pa.string())
            col_ok = pa.array(np.ones(n, dtype=bool))
        arrays.append(values)
        ok = pc.and_(ok, _mask(col_ok))
    typed = pa.Table.from_arrays(arrays, schema=arrow_schema(cols.entity))
    typed = typed.append_column("_i", pa.array(np.arange(n), pa.int64()))
    typed = typed.filter(ok)
    suspicious = np.flatnonzero(~ok.to_numpy(zero_copy_only=False)).tolist()
    return Checked(typed, suspicious)


def raw_row(cols: Columns, i: int) -> dict[str, Any]:
    """Record ``i`` as the dict the row reader would have given the model."""
    values = cols.table.slice(i, 1).to_pylist()[0]
    if cols.source == "csv":
        return {k: csv_cell(cols.entity, k, v) for k, v in values.items()}
    return {k: raw_value(cols.entity, k, v) for k, v in values.items() if v is not None}


def self_check(cols: Columns, checked: Checked) -> bool:
    """Re-validate a sample of the accepted rows with the model; True when all agree."""
    n = checked.typed.num_rows
    if n == 0:
        return True
    rng = random.Random(n)  # noqa: S311 - a sample, not a secret
    picks = sorted(rng.sample(range(n), min(SAMPLE, n)))
    model = ENTITIES[cols.entity]
    sample = checked.typed.take(pa.array(picks)).to_pylist()
    for row in sample:
        try:
            want = model.model_validate(raw_row(cols, row.pop("_i"))).model_dump()
        except ValidationError:
            return False
        if want != row:
            return False
    return True


def checked_columns(cols: Columns) -> Checked:
    checked = vectorised(cols)
    if not self_check(cols, checked):
        warnings.warn(
            f"{cols.file}: the vectorised checks disagree with the model on a sample; "
            "validating every row with the model",
            RuntimeWarning,
            stacklevel=2,
        )
        empty = checked.typed.schema.empty_table()
        return Checked(empty, list(range(cols.table.num_rows)))
    return checked


def model_rows(entity: str, models: list[Row]) -> Any:
    """Rows the model validated, as a typed table (``_i`` added by the caller)."""
    return pa.Table.from_pylist([m.model_dump() for m in models], schema=arrow_schema(entity))
