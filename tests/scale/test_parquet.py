"""Parquet as an inventory input: same rows as CSV, same file/row/field errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]
import pytest

from graph.errors import LoadValidationError
from graph.gaps import GapContext, find_gaps
from graph.stores import Store
from loaders.catalog import load_catalogs
from loaders.inventory import load_inventory
from loaders.inventory.read import read_inventory
from synth.organisation import AS_OF, synth

OWNERS = pa.table({"id": ["ada"], "name": ["Ada L"]})


def _write(folder: Path, **tables: Any) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for entity, table in tables.items():
        pq.write_table(table, folder / f"{entity}.parquet")
    return folder


def _errors(folder: Path, store: Store) -> list[tuple[str, int | None, str | None, str]]:
    load_catalogs(store)
    before = store.counts()
    with pytest.raises(LoadValidationError) as err:
        load_inventory(store, folder)
    assert store.counts() == before  # nothing written
    return [(Path(e.file).name, e.row, e.field, e.message) for e in err.value.errors]


def test_parquet_and_csv_give_the_same_graph(tmp_path: Path, store: Store) -> None:
    synth(30, 5, tmp_path / "csv", "csv")
    synth(30, 5, tmp_path / "pq", "parquet")
    load_inventory(store, tmp_path / "csv")
    counts = store.counts()
    gaps = [g.id for g in find_gaps(store, GapContext(as_of=AS_OF))]
    store.clear()
    load_inventory(store, tmp_path / "pq")
    assert store.counts() == counts
    assert [g.id for g in find_gaps(store, GapContext(as_of=AS_OF))] == gaps


def test_lists_as_strings_and_dates_as_iso_strings(tmp_path: Path) -> None:
    assets = pa.table({"id": ["a1"], "name": ["A"], "role": ["provider"],
                       "lifecycle": ["production"], "datasets": ["d1;d2"]})  # fmt: skip
    evidence = pa.table({
        "id": ["e1", "e2"], "title": ["T", "U"], "kind": ["log", "log"],
        "collected_on": ["2026-01-02", "2026-01-03"],
        "concerns": pa.array([["a1"], []], pa.list_(pa.string())),
    })  # fmt: skip
    raw = read_inventory(_write(tmp_path, assets=assets, evidence=evidence))
    assert raw.rows["assets"][0].data["datasets"] == ["d1", "d2"]
    assert raw.rows["evidence"][0].data["collected_on"] == "2026-01-02"
    assert raw.rows["evidence"][1].data["concerns"] == []
    assert raw.rows["evidence"][1].row == 2


def test_typed_columns_load(tmp_path: Path, store: Store) -> None:
    evidence = pa.table({
        "id": ["e1"], "title": ["T"], "kind": ["document"],
        "collected_on": pa.array([dt.date(2026, 1, 2)], pa.date32()),
        "retention_days": pa.array([None], pa.int64()), "owner": ["ada"],
    })  # fmt: skip
    report = load_inventory(store, _write(tmp_path, owners=OWNERS, evidence=evidence))
    assert report.loaded == {"owners": 1, "evidence": 1}


def test_errors_name_file_row_and_field(tmp_path: Path, store: Store) -> None:
    evidence = pa.table({
        "id": ["e1", "e2", "e3"], "title": ["T", "U", "V"], "kind": ["log", "blog", "log"],
        "collected_on": ["2026-01-02", "2026-01-02", "not a date"],
        "version": pa.array([1, 2, 3], pa.int64()),
        "supports": pa.array([["C-9"], None, None], pa.list_(pa.string())),
    })  # fmt: skip
    errors = _errors(_write(tmp_path, evidence=evidence), store)
    fields = {(f, r, fld) for f, r, fld, _ in errors}
    assert ("evidence.parquet", 2, "kind") in fields
    assert ("evidence.parquet", 3, "collected_on") in fields
    assert ("evidence.parquet", 1, "version") in fields


def test_unknown_reference(tmp_path: Path, store: Store) -> None:
    evidence = pa.table({
        "id": ["e1"], "title": ["T"], "kind": ["log"], "collected_on": ["2026-01-02"],
        "supports": pa.array([["C-9"]], pa.list_(pa.string())),
    })  # fmt: skip
    errors = _errors(_write(tmp_path, evidence=evidence), store)
    assert errors == [("evidence.parquet", 1, "supports",
                       "evidence e1 names unknown control C-9")]  # fmt: skip


def test_header_problems(tmp_path: Path, store: Store) -> None:
    owners = pa.table({"id": ["ada"], "nickname": ["x"]})
    errors = _errors(_write(tmp_path, owners=owners), store)
    assert ("owners.parquet", 1, "nickname", "unknown column") in errors
    assert ("owners.parquet", 1, "name", "required column is missing") in errors


def test_unreadable_and_twice(tmp_path: Path, store: Store) -> None:
    (tmp_path / "owners.parquet").write_bytes(b"id,name\nada,Ada\n")
    assert "not a readable Parquet file" in _errors(tmp_path, store)[0][3]
    (tmp_path / "owners.csv").write_text("id,name\nada,Ada\n")
    assert "given twice" in _errors(tmp_path, store)[0][3]


def test_nested_columns_are_refused(tmp_path: Path, store: Store) -> None:
    owners = OWNERS.append_column("team", pa.array([{"x": 1}]))
    errors = _errors(_write(tmp_path, owners=owners), store)
    assert errors[0][2] == "team"
    assert "unsupported Parquet column type" in errors[0][3]
