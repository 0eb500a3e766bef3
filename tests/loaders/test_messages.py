"""Validation errors read as sentences: no regular expressions, a hint to quote numbers."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.errors import LoadValidationError
from graph.models import ENTITIES
from graph.stores import Store
from loaders.inventory import load_inventory
from loaders.inventory.validate_columnar import FieldSpec, field_specs
from loaders.messages import PATTERNS

OWNER = "  - {id: ana.ortiz, name: Ana Ortiz}\n"
ASSET = (
    "  - {id: fraud-check, name: Fraud check, role: deployer, risk_tier: minimal,"
    " lifecycle: production, owner: ana.ortiz%s}\n"
)


def _patterns(spec: FieldSpec) -> list[str]:
    own = [spec.pattern] if spec.pattern else []
    return own + (_patterns(spec.item) if spec.item else [])


def test_every_pattern_of_the_models_is_described() -> None:
    used = {p for e in ENTITIES for s in field_specs(e).values() for p in _patterns(s)}
    assert used, "no patterns found: field_specs changed shape"
    assert used <= set(PATTERNS), f"describe these in loaders/messages.py: {used - set(PATTERNS)}"


def _errors(store: Store, tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "inventory.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LoadValidationError) as err:
        load_inventory(store, path)
    assert store.counts().get("Asset", 0) == 0, "a refused file wrote something"
    return [str(e) for e in err.value.errors]


def test_a_number_where_text_is_expected_says_to_quote_it(store: Store, tmp_path: Path) -> None:
    text = (
        "owners:\n" + OWNER + "assets:\n" + ASSET % "" + "evidence:\n"
        "  - {id: E-1, title: Runbook, kind: document, collected_on: 2026-10-01, version: 1}\n"
    )
    [error] = _errors(store, tmp_path, text)
    assert "inventory.yaml row 6: field 'version'" in error  # the line in the file
    assert 'quote it ("1")' in error, error


def test_a_malformed_id_is_described_not_shown_as_a_regex(store: Store, tmp_path: Path) -> None:
    text = "owners:\n  - {id: 'ana ortiz; x', name: Ana Ortiz}\n"
    [error] = _errors(store, tmp_path, text)
    assert "should be an id: 1 to 64 letters, digits" in error, error
    assert "^" not in error and "{0,63}" not in error


@pytest.mark.parametrize(
    ("extra", "field", "says"),
    [
        (", annex_iii_area: '9(z)'", "annex_iii_area", "an Annex III point such as 4 or 4(a)"),
        (", lifecycle: live", "lifecycle", "should be one of: planned, development, production"),
        (", public_body: maybe", "public_body", "should be true or false"),
        (", colour: blue", "colour", "is not a field of this record"),
    ],
)
def test_each_kind_of_mistake_reads_as_a_sentence(
    store: Store, tmp_path: Path, extra: str, field: str, says: str
) -> None:
    asset = ASSET % extra
    if "lifecycle: live" in extra:
        asset = asset.replace(" lifecycle: production,", "")
    [error] = _errors(store, tmp_path, "owners:\n" + OWNER + "assets:\n" + asset)
    assert f"'{field}'" in error and says in error, error


def test_art5_points_added_in_2026_are_accepted(store: Store, tmp_path: Path) -> None:
    """Art. 5(1)(ba) and (bb), added by Reg. (EU) 2026/1744, are inventory values."""
    path = tmp_path / "inventory.yaml"
    points = ", prohibited_practice: ba, risk_tier: prohibited"
    path.write_text(
        "owners:\n" + OWNER + "assets:\n" + (ASSET % points).replace(" risk_tier: minimal,", ""),
        encoding="utf-8",
    )
    load_inventory(store, path)
    assert store.counts()["Asset"] == 1


@pytest.mark.parametrize("value", ["0", "'0'", "86400", "'.0'", "1.5e9"])
def test_a_date_given_as_a_number_is_refused_not_read_as_1970(
    store: Store, tmp_path: Path, value: str
) -> None:
    """pydantic alone reads 0 or "86400" as a Unix time (1970-01-01, 1970-01-02)."""
    text = (
        "owners:\n" + OWNER + "evidence:\n"
        f"  - {{id: E-1, title: Runbook, kind: document, collected_on: {value}, version: '1'}}\n"
    )
    [error] = _errors(store, tmp_path, text)
    assert "field 'collected_on'" in error and "YYYY-MM-DD" in error, error


def _folder_errors(store: Store, tmp_path: Path, files: dict[str, str]) -> list[str]:
    """Load a folder of CSV files that must be refused; its errors, paths relative to it."""
    folder = tmp_path / "inv"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text)
    with pytest.raises(LoadValidationError) as err:
        load_inventory(store, folder)
    return sorted(str(e).removeprefix(str(folder) + "/") for e in err.value.errors)


def test_a_date_given_as_a_number_in_csv_is_refused(store: Store, tmp_path: Path) -> None:
    [error] = _folder_errors(store, tmp_path, {
        "incidents.csv": "id,assets,severity,occurred_on,aware_on\n"
                         "I-1,fraud-check,serious,2026-10-01,0\n",
        "assets.csv": "id,name,role,risk_tier,lifecycle\n"
                      "fraud-check,Fraud check,deployer,minimal,production\n",
    })  # fmt: skip
    assert error.startswith("incidents.csv row 2: field 'aware_on'") and "YYYY-MM-DD" in error


def test_a_reference_error_says_the_row_once_and_an_empty_list_is_no_brackets(
    store: Store, tmp_path: Path
) -> None:
    assert _folder_errors(store, tmp_path, {
        "assets.csv": "id,name,role,risk_tier,lifecycle\nx1,X,deployer,,planned\n",
        "evidence.csv": "id,title,kind,collected_on,concerns\nE1,T,document,2026-01-01,x1;x2\n",
        "incidents.csv": "id,assets,severity,occurred_on,aware_on\n"
                         "I1,,serious,2026-01-01,2026-01-02\n",
    }) == [
        "evidence.csv row 2: field 'concerns' evidence E1 names unknown asset x2",
        "incidents.csv row 2: field 'assets' should list at least 1 item(s)",
    ]  # fmt: skip
