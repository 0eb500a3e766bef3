"""Loading inventories: both forms agree, re-loads change nothing, bad input changes nothing."""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from graph import cypher_gen
from graph.errors import LoadValidationError, RowError
from graph.schema import SCHEMA
from graph.stores import Store
from loaders.inventory import load_inventory

ROOT = Path(__file__).resolve().parents[2]
ACME = ROOT / "examples" / "acme"


def copy_acme(tmp_path: Path) -> Path:
    target = tmp_path / "acme"
    shutil.copytree(ACME, target)
    (target / "inventory.json").unlink()
    return target


def edit_csv(path: Path, row_id: str, **changes: str) -> None:
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    for r in rows:
        if r["id"] == row_id:
            r.update(changes)
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0].keys()), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def test_csv_folder_and_json_document_load_the_same_graph(store: Store) -> None:
    report = load_inventory(store, ACME)
    assert report.loaded == {"owners": 14, "assets": 20, "datasets": 28, "controls": 40,
                             "evidence": 110, "incidents": 4}  # fmt: skip
    assert report.evidence_files == {"ok": 4, "changed": 1, "remote": 105}
    first = store.counts()
    again = load_inventory(store, ACME / "inventory.json")
    assert store.counts() == first
    assert sum(again.new.values()) == 0


def test_changed_row_updates_in_place_links_included(store: Store, tmp_path: Path) -> None:
    folder = copy_acme(tmp_path)
    load_inventory(store, folder)
    before = store.counts()
    edit_csv(
        folder / "assets.csv", "shadow-meeting-notes", owner="clara.weber", risk_tier="minimal"
    )
    load_inventory(store, folder)
    after = store.counts()
    assert after["OWNED_BY(Asset->Owner)"] == before["OWNED_BY(Asset->Owner)"] + 1
    assert after["Asset"] == before["Asset"]
    rows = store.read("gaps.asset_without_risk_tier")
    assert "shadow-meeting-notes" not in {r["subject"] for r in rows}


def _edges(store: Store, rel: str, src: str, dst: str) -> set[tuple[str, str]]:
    rows = store.dump(cypher_gen.dump_edges(SCHEMA.rel(rel), src, dst))
    return {(r["src"], r["dst"]) for r in rows}


def _org_level_supports(store: Store) -> set[tuple[str, str]]:
    """SUPPORTS edges of evidence that concerns no AI system, as SUPPORTS_ORG must copy them."""
    concerning = {e for e, _ in _edges(store, "CONCERNS", "Evidence", "Asset")}
    supports = _edges(store, "SUPPORTS", "Evidence", "Control")
    return {(e, c) for e, c in supports if e not in concerning}


def test_supports_org_is_derived_and_replaced_with_the_evidence_row(
    store: Store, tmp_path: Path
) -> None:
    folder = copy_acme(tmp_path)
    load_inventory(store, folder)
    derived = _edges(store, "SUPPORTS_ORG", "Evidence", "Control")
    assert derived == _org_level_supports(store)
    assert ("E-001", "C-01") in derived
    edit_csv(folder / "evidence.csv", "E-001", concerns="cv-screening", supports="C-01;C-03")
    load_inventory(store, folder)
    after = _edges(store, "SUPPORTS_ORG", "Evidence", "Control")
    assert after == _org_level_supports(store)
    assert not {e for e, _ in after} & {"E-001"}
    edit_csv(folder / "evidence.csv", "E-001", concerns="", supports="C-01;C-03")
    load_inventory(store, folder)
    assert {("E-001", "C-01"), ("E-001", "C-03")} <= _edges(
        store, "SUPPORTS_ORG", "Evidence", "Control"
    )
    assert _edges(store, "SUPPORTS_ORG", "Evidence", "Control") == _org_level_supports(store)


def test_nothing_is_deleted_without_prune(store: Store, tmp_path: Path) -> None:
    folder = copy_acme(tmp_path)
    load_inventory(store, folder)
    lines = (folder / "incidents.csv").read_text(encoding="utf-8").splitlines()
    (folder / "incidents.csv").write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")
    load_inventory(store, folder)
    assert store.counts()["Incident"] == 4
    report = load_inventory(store, folder, prune=True)
    assert report.pruned == {"incidents": ["INC-2026-004"]}
    assert store.counts()["Incident"] == 3


def test_partial_folder_may_reference_rows_already_loaded(store: Store, tmp_path: Path) -> None:
    load_inventory(store, ACME)
    only = tmp_path / "only-evidence"
    only.mkdir()
    shutil.copy(ACME / "evidence.csv", only / "evidence.csv")
    report = load_inventory(store, only)
    assert report.loaded == {"evidence": 110}


Breaker = Callable[[Path], None]


def _replace(name: str, old: str, new: str) -> Breaker:
    def apply(folder: Path) -> None:
        path = folder / name
        text = path.read_text(encoding="utf-8")
        assert old in text, old
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return apply


def _write(name: str, data: bytes) -> Breaker:
    def apply(folder: Path) -> None:
        (folder / name).write_bytes(data)

    return apply


def _edit(name: str, row_id: str, **changes: str) -> Breaker:
    return lambda folder: edit_csv(folder / name, row_id, **changes)


BAD_INPUTS: list[tuple[str, Breaker, str, str | None, str]] = [
    ("missing required column", _replace("owners.csv", "id,name,email,team", "id,email,team"),
     "owners.csv", "name", "required column is missing"),
    ("unknown column", _replace("owners.csv", "id,name,email,team", "id,name,email,colour"),
     "owners.csv", "colour", "unknown column"),
    ("wrong type", _edit("controls.csv", "C-01", review_every_days="yearly"),
     "controls.csv", "review_every_days", "should be a whole number"),
    ("bad date", _edit("evidence.csv", "E-001", collected_on="2026-02-30"),
     "evidence.csv", "collected_on", "date"),
    ("duplicate id", _edit("owners.csv", "luc.dubois", id="clara.weber"),
     "owners.csv", "id", "duplicate owner id"),
    ("dangling reference", _edit("evidence.csv", "E-017", supports="C-99"),
     "evidence.csv", "supports", "evidence E-017 names unknown control C-99"),
    ("unknown ISO number", _edit("controls.csv", "C-01", implements="A.11.2"),
     "controls.csv", "implements", "unknown ISO/IEC 42001 number A.11.2"),
    ("wrong enum", _edit("assets.csv", "cv-screening", risk_tier="very-high"),
     "assets.csv", "risk_tier", "should be one of: prohibited, high, limited"),
    ("non-UTF-8", _write("owners.csv", "id,name\nx,Fran\xe7ois\n".encode("latin-1")),
     "owners.csv", None, "not UTF-8"),
    ("empty file", _write("datasets.csv", b""), "datasets.csv", None, "the file is empty"),
    ("huge field", _edit("assets.csv", "cv-screening", description="x" * 5000),
     "assets.csv", "description", "at most 4000 characters"),
    ("bad id", _edit("owners.csv", "luc.dubois", id="luc dubois; DROP"),
     "owners.csv", "id", "should be an id: 1 to 64 letters, digits"),
    ("impossible dates", _edit("incidents.csv", "INC-2026-001", aware_on="2026-01-01"),
     "incidents.csv", "aware_on", "is before occurred_on"),
    ("ragged row", _replace("owners.csv", "clara.weber,Clara Weber,", "clara.weber,Clara,Weber,"),
     "owners.csv", None, "cells, the header has"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("case", "breaker", "file", "field", "message"), BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS]
)
def test_bad_input_is_reported_and_changes_nothing(
    store: Store, tmp_path: Path, case: str, breaker: Breaker, file: str, field: str | None,
    message: str,
) -> None:  # fmt: skip
    folder = copy_acme(tmp_path)
    load_inventory(store, ACME)
    before = store.counts()
    breaker(folder)
    with pytest.raises(LoadValidationError) as err:
        load_inventory(store, folder)
    hits: list[RowError] = [e for e in err.value.errors if Path(e.file).name == file]
    assert hits, err.value.errors
    assert any(message in str(e) and (field is None or e.field == field) for e in hits), hits
    assert all(e.row is not None for e in hits if field not in (None, "name", "colour"))
    assert store.counts() == before


def test_all_errors_are_reported_at_once(store: Store, tmp_path: Path) -> None:
    folder = copy_acme(tmp_path)
    edit_csv(folder / "evidence.csv", "E-001", supports="C-98")
    edit_csv(folder / "evidence.csv", "E-002", collected_on="yesterday")
    edit_csv(folder / "assets.csv", "cv-screening", lifecycle="live")
    with pytest.raises(LoadValidationError) as err:
        load_inventory(store, folder)
    fields = sorted(e.field or "" for e in err.value.errors)
    assert fields == ["collected_on", "lifecycle", "supports"]
    assert store.counts()["Asset"] == 0


def test_json_document_errors_carry_the_json_path(store: Store, tmp_path: Path) -> None:
    doc = json.loads((ACME / "inventory.json").read_text(encoding="utf-8"))
    doc["assets"][2]["lifecycle"] = "live"
    path = tmp_path / "inventory.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(LoadValidationError) as err:
        load_inventory(store, path)
    [e] = err.value.errors
    assert (e.row, e.field) == (3, "lifecycle")
    assert "assets" in str(e) or e.file.endswith("inventory.json")


def test_folder_without_inventory_files(store: Store, tmp_path: Path) -> None:
    with pytest.raises(LoadValidationError, match="no inventory files found"):
        load_inventory(store, tmp_path)


@pytest.mark.parametrize("uri", ["../outside.md", "evidence/../../x.md", "/etc/hostname"])
def test_an_evidence_path_outside_the_folder_is_refused(
    uri: str, tmp_path: Path, store: Store
) -> None:
    """A path without a scheme must stay inside the inventory folder (docs/formats.md); before,
    it was silently taken for a remote item and never hashed."""
    folder = copy_acme(tmp_path)
    edit_csv(folder / "evidence.csv", "E-001", uri=uri)
    with pytest.raises(LoadValidationError) as e:
        load_inventory(store, folder)
    [err] = [x for x in e.value.errors if x.field == "uri"]
    assert err.file.endswith("evidence.csv") and err.row == 2 and err.value == uri
    assert "outside the inventory folder" in err.message and "file:///" in err.message
    assert store.counts()["Evidence"] == 0  # nothing written


def test_a_file_uri_names_an_absolute_path_on_purpose(tmp_path: Path, store: Store) -> None:
    folder = copy_acme(tmp_path)
    outside = tmp_path / "elsewhere.md"
    outside.write_text("policy", encoding="utf-8")
    edit_csv(folder / "evidence.csv", "E-001", uri=outside.as_uri(), sha256="")
    load_inventory(store, folder)
    assert store.counts()["Evidence"] > 0
