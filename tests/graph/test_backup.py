"""export -> import into a fresh store -> export gives the identical bytes, on both stores."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

import pytest

from graph.backup import export_lines, import_lines
from graph.errors import LoadValidationError
from graph.stores import NodeRows, Store, WriteBatch
from loaders.inventory import load_inventory
from tests.conftest import make_store

ACME = Path(__file__).resolve().parents[2] / "examples" / "acme"


def test_round_trip_is_identical(store: Store, tmp_path: Path) -> None:
    load_inventory(store, ACME)
    first = list(export_lines(store))
    assert len(first) > 1000
    other = make_store("ladybug", tmp_path / "other")
    other.apply_schema()
    try:
        import_lines(other, first, "backup.jsonl")
        assert list(export_lines(other)) == first
        assert other.counts() == store.counts()
    finally:
        other.close()


def test_export_without_derived_edges_is_restored_with_them(store: Store, tmp_path: Path) -> None:
    """Exports made before SUPPORTS_ORG existed: the import derives it like the loader."""
    load_inventory(store, ACME)
    first = list(export_lines(store))
    older = [line for line in first if '"edge":"SUPPORTS_ORG"' not in line]
    assert len(older) < len(first)
    other = make_store("ladybug", tmp_path / "other")
    other.apply_schema()
    try:
        import_lines(other, older, "backup.jsonl")
        assert list(export_lines(other)) == first
    finally:
        other.close()


def test_import_replaces_and_is_idempotent(store: Store) -> None:
    load_inventory(store, ACME)
    backup = list(export_lines(store))
    store.write(WriteBatch(nodes=[NodeRows("Owner", [{"id": "stray", "name": "Stray"}])]))
    import_lines(store, backup, "backup.jsonl")
    assert _data(export_lines(store)) == _data(backup)
    import_lines(store, backup, "backup.jsonl")
    assert _data(export_lines(store)) == _data(backup)
    # The log is never rolled back: it gained the stray owner, its removal, then a no-op.
    log = [json.loads(line)["props"] for line in export_lines(store) if '"ChangeEvent"' in line]
    new = sorted(log, key=lambda e: e["seq"])[-3:]
    assert [(e["change"], e["entity_key"]) for e in new] == [
        ("created", "stray"),
        ("deleted", "stray"),
        ("noop", ""),
    ]


def _data(lines: Iterable[str]) -> list[str]:
    return [line for line in lines if '"node":"ChangeEvent"' not in line]


def test_bad_backup_changes_nothing(store: Store) -> None:
    load_inventory(store, ACME)
    backup = list(export_lines(store))
    broken = [*backup[:5], '{"node": "Robot", "props": {"id": "r2"}}', "not json", *backup[5:]]
    with pytest.raises(LoadValidationError) as err:
        import_lines(store, broken, "broken.jsonl")
    assert [e.row for e in err.value.errors] == [6, 7]
    assert list(export_lines(store)) == backup
