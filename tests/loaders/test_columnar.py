"""The columnar path (large CSV/Parquet: vectorised checks derived from the model, the model for
every row they are unsure of) and the row path (the model on every row) agree exactly: the same
errors, in the same order, with the same file/row/field/value, and the same valid rows."""

from __future__ import annotations

import csv
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.errors import LoadValidationError, RowError
from graph.models import ENTITIES
from loaders.inventory import Parsed, validate
from loaders.inventory import validate_columnar as col
from loaders.inventory.read import read_inventory
from synth.organisation import synth
from tests.loaders.test_inventory import ACME, BAD_INPUTS, Breaker, copy_acme

Outcome = tuple[str, Any]


def _outcome(folder: Path, columnar: bool, monkeypatch: pytest.MonkeyPatch) -> Outcome:
    monkeypatch.setattr(col, "COLUMNAR_MIN_BYTES", 0 if columnar else 1 << 60)
    try:
        raw = read_inventory(folder)
        if columnar:
            assert raw.columns, "the columnar path was not taken"
        parsed = validate(raw, {})
    except LoadValidationError as e:
        return "errors", e.errors
    return "ok", _rows(parsed)


def _rows(parsed: Parsed) -> dict[str, list[dict[str, Any]]]:
    out = {}
    for entity, rows in parsed.entities.items():
        table = rows.table
        out[entity] = [{**r, "_at": rows.where(r.pop("_i"))} for r in table.to_pylist()]
    return out


def _both(folder: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Outcome, Outcome]:
    return _outcome(folder, False, monkeypatch), _outcome(folder, True, monkeypatch)


def test_every_field_has_a_vectorised_check_derived_from_the_model() -> None:
    for entity, model in ENTITIES.items():
        specs = col.field_specs(entity)
        assert set(specs) == set(model.model_fields)
        assert all(s.kind != "other" for s in specs.values()), entity
    assert (col.field_specs("controls")["review_every_days"].ge, 1) == (1, 1)
    assert col.field_specs("controls")["review_every_days"].le == 3650
    assert col.field_specs("assets")["in_eu"].blank is True
    assert col.field_specs("incidents")["assets"].min_items == 1
    assert col.field_specs("evidence")["sha256"].to_lower


def test_acme_parses_the_same_both_ways(monkeypatch: pytest.MonkeyPatch) -> None:
    row, columnar = _both(ACME, monkeypatch)
    assert row[0] == "ok"
    assert row == columnar


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_synthetic_org_parses_the_same_both_ways(
    fmt: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    synth(60, 3, tmp_path / "org", fmt)  # type: ignore[arg-type]
    row, columnar = _both(tmp_path / "org", monkeypatch)
    assert row[0] == "ok"
    assert row == columnar


@pytest.mark.parametrize(
    ("case", "breaker"), [(b[0], b[1]) for b in BAD_INPUTS], ids=[b[0] for b in BAD_INPUTS]
)
def test_bad_inputs_give_the_same_errors(
    case: str, breaker: Breaker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = copy_acme(tmp_path)
    breaker(folder)
    row, columnar = _both(folder, monkeypatch) if _readable(folder) else (None, None)
    if row is None:
        pytest.skip("the breaker makes the folder unreadable before validation")
    assert row[0] == "errors", row
    assert row == columnar


def _readable(folder: Path) -> bool:
    try:
        read_inventory(folder)
    except LoadValidationError:
        return False
    return True


# -- property-based: random cells, both paths -------------------------------------------------
CELLS = st.one_of(
    st.sampled_from(
        [
            "",
            " ",
            "  x ",
            "\xa0",
            "\x1c",
            "true",
            "True",
            " true",
            "yes",
            "no",
            "on",  # pydantic's other flag spellings, any case: the bulk path must agree
            "Off",
            "Y",
            "f",
            "TRUE",
            "0",
            "1",
            "-1",
            "007",
            "+5",
            "5.0",
            "99999999999999999999",
            "2026-02-30",
            "2026-01-01",
            " 2026-01-01",
            "2026-01-01T00:00:00",
            "0000-01-01",
            "20260101",
            "high",
            " high",
            "HIGH",
            "log",
            "notification",
            "A.6.2.8",
            "A.99",
            "26",
            "Annex III",
            "Annex Q",
            "a;b",
            ";",
            "a; ;b",
            "A-000001",
            "owner-00001",
            "C-001",
            "zz-missing",
            "é",
            "Émile",
            "x\xa0",
            "a\nb",
            "ABCDEF" * 10 + "abcd",
            "abcdef" * 11,
        ]
    ),
    st.text(max_size=6),
)
ENTITY_FILES = ["owners", "assets", "datasets", "controls", "evidence", "incidents"]


@pytest.fixture(scope="module")
def small_org(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    out = tmp_path_factory.mktemp("org")
    synth(12, 5, out / "org")
    yield out / "org"


def _mutate(src: Path, dst: Path, entity: str, row: int, column: int, value: str) -> None:
    shutil.copytree(src, dst)
    path = dst / f"{entity}.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    r = rows[1 + row % (len(rows) - 1)]
    r[column % len(r)] = value
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    entity=st.sampled_from(ENTITY_FILES),
    edits=st.lists(
        st.tuples(st.integers(0, 50), st.integers(0, 20), CELLS), min_size=1, max_size=3
    ),
)
def test_random_cells_give_the_same_outcome(
    small_org: Path,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    entity: str,
    edits: list[tuple[int, int, str]],
) -> None:
    folder = tmp_path_factory.mktemp("case") / "org"
    shutil.copytree(small_org, folder)
    for i, (row, column, value) in enumerate(edits):
        step = folder.with_name(f"step{i}")
        _mutate(folder, step, entity, row, column, value)
        shutil.rmtree(folder)
        step.rename(folder)
    with monkeypatch.context() as m:
        row_path, columnar = _both(folder, m)
    assert row_path == columnar


def test_errors_point_at_the_csv_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = copy_acme(tmp_path)
    path = folder / "owners.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    rows[1][3] = "two\nlines"  # a quoted multi-line cell shifts the line numbers below it
    rows.insert(2, [""] * len(rows[0]))  # a row of blank cells is skipped
    rows[3][0] = "bad id!"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    row, columnar = _both(folder, monkeypatch)
    assert row == columnar
    errors: list[RowError] = row[1]
    mine = [(e.field, e.row) for e in errors if Path(e.file).name == "owners.csv"]
    assert mine == [("id", 5)], errors


def test_canonical_rows_never_reach_the_model(tmp_path: Path) -> None:
    synth(40, 2, tmp_path / "org")
    for entity in ENTITY_FILES:
        cols = col.read_csv_columns(tmp_path / "org" / f"{entity}.csv", entity)
        assert cols is not None
        checked = col.vectorised(cols)
        assert checked.suspicious == [], (entity, checked.suspicious[:5])
        assert col.self_check(cols, checked)


def test_the_regex_free_text_checks_match_their_regexes() -> None:
    import pyarrow as pa  # type: ignore[import-untyped]
    import pyarrow.compute as pc  # type: ignore[import-untyped]

    values = pa.array(["", "a", " a", "a ", "a b", "é", "aé", "éa", "a\nb", "\ta", "a\x7f", "~!",
                       "\xa0a", "a\u2003", "x" * 70])  # fmt: skip
    plain = col._str_checks(col.FieldSpec("x", "str"), values)
    assert plain.to_pylist() == pc.match_substring_regex(values, col.EDGES).to_pylist()
    ascii_ = col._str_checks(col.FieldSpec("x", "str", to_lower=True), values)
    regexes = pc.and_(pc.match_substring_regex(values, col.EDGES),
                      pc.match_substring_regex(values, col.ASCII_ONLY))  # fmt: skip
    assert ascii_.to_pylist() == regexes.to_pylist()


@pytest.mark.parametrize("flag", ["On", "off", "Y", "n", "T", "FALSE", "Yes"])
def test_every_flag_spelling_the_model_takes_the_bulk_path_takes(
    flag: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pydantic reads on/off, t/f, y/n in any case as flags (docs/formats.md lists them): a
    file loads the same whatever its size, whichever path validates it."""
    from tests.loaders.test_inventory import edit_csv

    folder = copy_acme(tmp_path)
    edit_csv(folder / "assets.csv", "cv-screening", public_body=flag)
    row, columnar = _both(folder, monkeypatch)
    assert row[0] == "ok" and row == columnar
