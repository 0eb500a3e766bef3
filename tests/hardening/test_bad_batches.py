"""Property-based bad input: every malformed batch is refused with file/row/field, and the store
stays equal in content (canonical export before == after). 300 batches per CI run; set
CLAUSEGRAPH_HYPOTHESIS_EXAMPLES=1000 for the longer local run."""

from __future__ import annotations

import copy
import csv
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.backup import export_lines
from graph.errors import LoadValidationError
from graph.stores import Store
from graph.stores.ladybug_store import LadybugStore
from loaders.inventory import load_inventory
from loaders.inventory import validate_columnar as inventory_columnar

EXAMPLES = int(os.environ.get("CLAUSEGRAPH_HYPOTHESIS_EXAMPLES", "300"))
BASE: dict[str, list[dict[str, Any]]] = {
    "owners": [{"id": "o1", "name": "Ann"}, {"id": "o2", "name": "Bo", "email": "bo@x.org"}],
    "assets": [
        {"id": "a1", "name": "Scorer", "role": "deployer", "risk_tier": "high",
         "annex_iii_area": "5(b)", "lifecycle": "production", "owner": "o1", "datasets": ["d1"]},
        {"id": "a2", "name": "Bot", "role": "provider", "risk_tier": "limited",
         "transparency_use": "1", "lifecycle": "production", "owner": "o2"},
    ],
    "datasets": [{"id": "d1", "name": "Bureau", "personal_data": True, "provenance": "feed",
                  "legal_basis": "contract", "owner": "o1"}],
    "controls": [{"id": "c1", "name": "Logging", "status": "implemented", "review_every_days": 90,
                  "owner": "o1", "implements": ["A.6.2.8"], "addresses": ["26"],
                  "applies_to": ["a1"]}],
    "evidence": [{"id": "e1", "title": "Logs", "kind": "log", "collected_on": "2026-11-01",
                  "retention_days": 200, "version": "1", "owner": "o1", "supports": ["c1"],
                  "concerns": ["a1"]}],
    "incidents": [{"id": "i1", "assets": ["a1"], "severity": "serious",
                   "occurred_on": "2026-10-01", "aware_on": "2026-10-02"}],
}  # fmt: skip

# Mutations that the documented format must refuse, per (entity, field).
ENUMS = {("assets", "role"), ("assets", "risk_tier"), ("assets", "lifecycle"),
         ("controls", "status"), ("evidence", "kind"), ("incidents", "severity")}  # fmt: skip
DATES = {("evidence", "collected_on"), ("incidents", "occurred_on"), ("incidents", "aware_on")}
REFS = {("assets", "owner"), ("controls", "applies_to"), ("evidence", "supports"),
        ("evidence", "concerns"), ("incidents", "assets"), ("assets", "datasets")}  # fmt: skip
REQUIRED = {(e, f) for e, rows in BASE.items() for f in ("id", "name", "title") if f in rows[0]}

junk = st.text(alphabet=st.characters(exclude_categories=["Cs"]), min_size=1, max_size=40)
cypher = st.sampled_from(["') DETACH DELETE n //", "x}) MATCH (n) DELETE n", "' OR 1=1 --"])


@st.composite
def broken(draw: st.DrawFn) -> tuple[dict[str, Any], str, str]:
    doc = copy.deepcopy(BASE)
    kind = draw(st.sampled_from(["enum", "date", "ref", "missing", "extra", "type", "id"]))
    if kind == "enum":
        entity, field = draw(st.sampled_from(sorted(ENUMS)))
        doc[entity][0][field] = draw(
            st.one_of(junk, cypher).filter(
                # blank means "not set" for an optional enum, and enums may be lower-cased
                lambda s: (
                    s.strip().lower()
                    not in (
                        "",
                        "provider",
                        "deployer",
                        "high",
                        "production",
                        "implemented",
                        "log",
                        "serious",
                    )
                )
            )
        )
    elif kind == "date":
        entity, field = draw(st.sampled_from(sorted(DATES)))
        doc[entity][0][field] = draw(
            st.one_of(
                junk.filter(lambda s: not s[:1].isdigit()),
                st.sampled_from(["2026-02-30", "2026-13-01"]),
            )
        )
    elif kind == "ref":
        entity, field = draw(st.sampled_from(sorted(REFS)))
        ref = draw(st.from_regex(r"\Azz[a-z0-9]{1,8}\Z"))
        doc[entity][0][field] = [ref] if isinstance(doc[entity][0][field], list) else ref
    elif kind == "missing":
        entity, field = draw(st.sampled_from(sorted(REQUIRED)))
        del doc[entity][0][field]
    elif kind == "extra":
        entity = draw(st.sampled_from(sorted(BASE)))
        field = draw(st.from_regex(r"\A[a-z]{3,10}_x\Z"))
        doc[entity][0][field] = draw(junk)
    elif kind == "type":
        typed = [("controls", "review_every_days"), ("evidence", "retention_days"),
                 ("assets", "datasets")]  # fmt: skip
        entity, field = draw(st.sampled_from(typed))
        doc[entity][0][field] = {"nested": draw(junk)}
    else:
        entity, field = draw(st.sampled_from(sorted(BASE))), "id"
        doc[entity][0][field] = draw(st.one_of(cypher, st.from_regex(r"\A[ #/{}()'\"]{1,5}\Z")))
    return doc, entity, field


@pytest.fixture(scope="module")
def loaded() -> Iterator[tuple[Store, list[str], Path]]:
    tmp = Path(tempfile.mkdtemp(prefix="cg-hyp-"))
    store = LadybugStore(tmp / "g.db")
    store.apply_schema()
    (tmp / "base.json").write_text(json.dumps(BASE), encoding="utf-8")
    load_inventory(store, tmp / "base.json")
    yield store, list(export_lines(store)), tmp
    store.close()


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(case=broken())
def test_malformed_batch_is_refused_and_changes_nothing(
    loaded: tuple[Store, list[str], Path], case: tuple[dict[str, Any], str, str]
) -> None:
    store, before, tmp = loaded
    doc, _entity, field = case
    path = tmp / "case.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(LoadValidationError) as err:
        load_inventory(store, path)
    assert err.value.errors
    hit = [e for e in err.value.errors if e.file == str(path) and e.row is not None]
    assert hit, err.value.errors
    assert any(field in (e.field or "") or field in e.message for e in hit), err.value.errors
    assert list(export_lines(store)) == before


def _as_csv_folder(doc: dict[str, Any], folder: Path) -> Path:
    """The same document as a folder of CSV files (lists `;`-joined, anything else as text)."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for entity, rows in doc.items():
        header = list(dict.fromkeys(k for r in rows for k in r))
        with (folder / f"{entity}.csv").open("w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow(header)
            for r in rows:
                cells = [r.get(h, "") for h in header]
                w.writerow([";".join(c) if isinstance(c, list) else c for c in cells])
    return folder


@pytest.fixture(scope="module")
def loaded_bulk() -> Iterator[tuple[LadybugStore, list[str], Path]]:
    tmp = Path(tempfile.mkdtemp(prefix="cg-hyp-bulk-"))
    store = LadybugStore(tmp / "g.db")
    store.bulk_min_rows = 0  # every batch takes the diff path,
    store.keyed_share = 0.0
    store.live_max_rows = 0  # and every delta the staged COPY
    store.live_share = 0.0
    store.apply_schema()
    load_inventory(store, _as_csv_folder(BASE, tmp / "base"))
    yield store, list(export_lines(store)), tmp
    store.close()


@settings(max_examples=max(EXAMPLES // 3, 20), deadline=None,
          suppress_health_check=list(HealthCheck))  # fmt: skip
@given(case=broken())
def test_malformed_csv_is_refused_the_same_by_the_columnar_and_bulk_path(
    loaded_bulk: tuple[LadybugStore, list[str], Path],
    case: tuple[dict[str, Any], str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store, before, tmp = loaded_bulk
    doc, _entity, _field = case
    folder = _as_csv_folder(doc, tmp / "case")
    seen = []
    for threshold in (1 << 60, 0):  # the row path, then the columnar path
        monkeypatch.setattr(inventory_columnar, "COLUMNAR_MIN_BYTES", threshold)
        with pytest.raises(LoadValidationError) as err:
            load_inventory(store, folder)
        seen.append(err.value.errors)
        assert list(export_lines(store)) == before
    assert seen[0] == seen[1]
    assert all(e.file.startswith(str(folder)) for e in seen[1])
