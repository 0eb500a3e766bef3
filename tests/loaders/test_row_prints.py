"""A re-load of a changed file reads, validates and writes only its changed rows (per-line
fingerprints, loaders/inventory/row_prints.py), and gives exactly the graph and the change events
the full path gives; another writer of the entity in between, a duplicate id, a write outside the
log and --prune take the full path; a bad changed row is reported as the full path reports it
(real LadybugDB)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from graph import cypher_gen
from graph.audit import AUDIT_LABEL
from graph.backup import export_lines
from graph.errors import LoadValidationError
from graph.models import ENTITIES
from graph.schema import ROW_DIGESTS, SCHEMA
from graph.stores import EdgeRows, NodeRows, WriteBatch
from graph.stores.ladybug_store import LadybugStore
from loaders.inventory import load_inventory, row_prints
from loaders.inventory.write import LoadReport

ACME = Path(__file__).resolve().parents[2] / "examples" / "acme"
EVENT = ("entity_kind", "entity_key", "change", "fields", "command", "input_file", "input_sha256")


@pytest.fixture(autouse=True)
def small_files_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(row_prints, "MIN_BYTES", 0)  # the example's files are a few KB


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    out = tmp_path / "acme"
    shutil.copytree(ACME, out)
    (out / "inventory.json").unlink()
    return out


def _store(path: Path) -> LadybugStore:
    s = LadybugStore(path)
    s.apply_schema()
    return s


@pytest.fixture
def store(tmp_path: Path) -> Iterator[LadybugStore]:
    s = _store(tmp_path / "g.db")
    yield s
    s.close()


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def _change_some_rows(folder: Path) -> None:
    """A text field, a link, an applicability fact, a new row; the other rows as they were."""
    _edit(folder / "evidence.csv", "AI policy annual review minutes 2026", "Policy review 2026")
    _edit(folder / "evidence.csv", ",C-01,,\n", ",C-02,,\n")  # E-001 supports another control
    _edit(folder / "assets.csv", "TalentLens CV screening", "TalentLens CV ranking")
    _edit(folder / "assets.csv", "deployer,high,5(b)", "deployer,limited,5(b)")
    with (folder / "owners.csv").open("a") as f:
        f.write("nora.new,Nora New,nora@acme.example,Compliance\n")


def _head(store: LadybugStore) -> int:
    return max((int(r["seq"]) for r in _events(store)), default=0)


def _events(store: LadybugStore, after: int = 0) -> list[dict[str, Any]]:
    rows = store.dump(cypher_gen.dump_nodes(SCHEMA.node(AUDIT_LABEL)))
    return [r for r in rows if int(r["seq"]) > after]


def _changes(store: LadybugStore, after: int) -> list[tuple[Any, ...]]:
    return sorted(tuple(str(e[k]) for k in EVENT) for e in _events(store, after))


def _dump(store: LadybugStore) -> list[str]:
    return list(export_lines(store, change_log=False))


def _full_path(
    tmp_path: Path, folder: Path, change: Callable[[Path], None], between: WriteBatch | None = None
) -> tuple[list[str], list[tuple[Any, ...]], LoadReport]:
    """The same loads of the same folder without per-line fingerprints (every changed file takes
    the full path): (graph, events of the second load, its report)."""
    shutil.copytree(ACME, folder, dirs_exist_ok=True, ignore=shutil.ignore_patterns("*.json"))
    ref = _store(tmp_path / "ref.db")
    with pytest.MonkeyPatch.context() as m:
        m.setattr(row_prints, "stored", lambda *a: {})
        load_inventory(ref, folder)
        if between is not None:
            ref.write(between)
        change(folder)
        seq = _head(ref)
        report = load_inventory(ref, folder)
    out = (_dump(ref), _changes(ref, seq), report)
    ref.close()
    return out


def _reload(store: LadybugStore, folder: Path) -> tuple[int, LoadReport]:
    seq = _head(store)
    return seq, load_inventory(store, folder)


def test_a_changed_file_reads_only_its_changed_rows_with_the_full_paths_result(
    store: LadybugStore, folder: Path, tmp_path: Path
) -> None:
    first = load_inventory(store, folder)
    assert first.partial == {}
    _change_some_rows(folder)
    seq, report = _reload(store, folder)
    assert report.partial == {"assets": 2, "evidence": 2, "owners": 1}
    assert report.skipped == ["controls", "datasets", "incidents"]
    store_graph, store_events = _dump(store), _changes(store, seq)
    ref_graph, ref_events, ref_report = _full_path(tmp_path, folder, _change_some_rows)
    assert store_graph == ref_graph
    assert store_events == ref_events
    kinds = {(e[0], e[2]) for e in store_events}
    assert ("Owner", "created") in kinds and ("Asset", "updated") in kinds
    assert ("SUPPORTS(Evidence->Control)", "linked") in kinds
    assert ("SUBJECT_TO(Asset->Article)", "unlinked") in kinds  # the fact changed
    updated = [e for e in store_events if e[:3] == ("Evidence", "E-002", "updated")]
    assert len(updated) == 1 and "title" in updated[0][3] and "kind" not in updated[0][3]
    assert (report.loaded, report.new, report.subject_to) == (
        ref_report.loaded, ref_report.new, ref_report.subject_to
    )  # fmt: skip
    # the record now holds the new lines: loading the same bytes again changes nothing
    seq = _head(store)
    again = load_inventory(store, folder)
    assert again.skipped == sorted(again.loaded) and _dump(store) == store_graph
    assert [e["change"] for e in _events(store, seq)] == ["noop"]


def test_another_writer_in_between_forces_the_full_path(
    store: LadybugStore, folder: Path, tmp_path: Path
) -> None:
    load_inventory(store, folder)
    row = {"id": "E-002", "title": "Edited elsewhere", "kind": "log", "uri": "https://x.example"}
    between = WriteBatch(
        nodes=[NodeRows("Evidence", [row])],
        edges=[EdgeRows("SUPPORTS", "Evidence", "Control", [{"src": "E-002", "dst": "C-16"}])],
    )
    store.write(between)
    _change_some_rows(folder)
    seq, report = _reload(store, folder)
    assert "evidence" not in report.partial  # the other writer's evidence event: full path
    assert report.partial == {"assets": 2, "owners": 1}
    graph, events = _dump(store), _changes(store, seq)
    assert (graph, events) == _full_path(tmp_path, folder, _change_some_rows, between)[:2]


def test_a_changed_row_that_repeats_an_unchanged_id_is_the_full_paths_error(
    store: LadybugStore, folder: Path, tmp_path: Path
) -> None:
    load_inventory(store, folder)
    line = next(
        x for x in (folder / "evidence.csv").read_text().splitlines() if x.startswith("E-003")
    )
    with (folder / "evidence.csv").open("a") as f:
        f.write(line.replace(",document,", ",log,", 1) + "\n")  # E-003 again, changed
    with pytest.raises(LoadValidationError) as partial:
        load_inventory(store, folder)
    ref = _store(tmp_path / "ref.db")
    with pytest.raises(LoadValidationError) as full:
        load_inventory(ref, folder)
    ref.close()
    assert "duplicate evidence id" in str(partial.value)
    assert partial.value.errors == full.value.errors


def test_a_bad_changed_row_is_reported_on_its_line_as_the_full_path_does(
    store: LadybugStore, folder: Path, tmp_path: Path
) -> None:
    load_inventory(store, folder)
    _edit(folder / "evidence.csv", ",2026-06-18,", ",2026-13-40,")
    _edit(folder / "owners.csv", "\n", "\nbad owner id,X,x@acme.example,T\n")
    with pytest.raises(LoadValidationError) as partial:
        load_inventory(store, folder)
    ref = _store(tmp_path / "ref.db")
    with pytest.raises(LoadValidationError) as full:
        load_inventory(ref, folder)
    ref.close()
    assert partial.value.errors == full.value.errors
    assert {e.file.rsplit("/", 1)[-1] for e in partial.value.errors} == {
        "evidence.csv",
        "owners.csv",
    }


def _without_nora(folder: Path) -> None:
    _edit(folder / "owners.csv", "nora.new,Nora New,nora@acme.example,Compliance\n", "")


def test_writes_outside_the_log_prune_and_clear_take_the_full_path(
    store: LadybugStore, folder: Path, tmp_path: Path
) -> None:
    load_inventory(store, folder)
    parts = store.dump(f"MATCH (d:{ROW_DIGESTS.label}) RETURN d.id AS id")
    assert sorted(r["id"] for r in parts) == [f"{e}#0000" for e in sorted(ENTITIES)]
    _change_some_rows(folder)
    store._execute(cypher_gen.ROW_DIGESTS_DROP)  # as run_write and clear do, with fingerprints
    assert load_inventory(store, folder).partial == {}
    _without_nora(folder)
    pruned = load_inventory(store, folder, prune=True)  # needs every id: the full path
    assert pruned.partial == {} and pruned.pruned == {"owners": ["nora.new"]}
    graph = _dump(store)
    shutil.copytree(ACME, folder, dirs_exist_ok=True, ignore=shutil.ignore_patterns("*.json"))
    ref = _store(tmp_path / "ref.db")
    load_inventory(ref, folder)
    _change_some_rows(folder)
    load_inventory(ref, folder)
    _without_nora(folder)
    assert load_inventory(ref, folder, prune=True).pruned == pruned.pruned
    assert _dump(ref) == graph
    ref.close()
    store.clear()
    assert store.dump(f"MATCH (d:{ROW_DIGESTS.label}) RETURN d.id AS id") == []


def test_fingerprints_are_the_same_in_every_process() -> None:
    """The digests are made with the catalogs' facts, whose sets print in an order that follows
    the process's string hashing: two processes must still agree (else nothing ever matches)."""
    code = "from loaders.inventory import fingerprints; print(fingerprints.salt())"
    salts = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(salts) == 1
