"""Schema stamps (graph/stores/ladybug_schema.py): a writer stamps the tables it checked, a
read then trusts the stamps, and a changed definition or a store without stamps gets the full
check again. Real stores on disk."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import ladybug  # noqa: TID251 - the tests read and clear the stamps behind the store's back
import pytest

from graph.errors import SchemaMismatch
from graph.schema import SCHEMA, Prop, Schema
from graph.stores import ladybug_schema
from graph.stores.ladybug_store import LadybugStore


def _comments(path: Path, clear: bool = False) -> dict[str, str]:
    db = ladybug.Database(str(path))
    conn = ladybug.Connection(db)
    try:
        result = conn.execute("CALL show_tables() RETURN name, comment")
        assert not isinstance(result, list)
        comments = {str(name): str(comment) for name, comment in result.get_all()}
        for name in comments if clear else ():
            conn.execute(f"COMMENT ON TABLE {name} IS ''")
        return comments
    finally:
        conn.close()
        db.close()


def _open(path: Path, *, read_only: bool, schema: Schema = SCHEMA) -> None:
    store = LadybugStore(path, read_only=read_only)
    try:
        store.apply_schema(schema)
    finally:
        store.close()


def test_the_writer_stamps_every_table_the_schema_derives(tmp_path: Path) -> None:
    path = tmp_path / "g.db"
    _open(path, read_only=False)
    want = {t.name: t.stamp for t in ladybug_schema.wanted(SCHEMA)}
    assert _comments(path) == want
    assert {"Asset", "InputFingerprint", "SUBJECT_TO"} <= set(want)  # nodes, internal, rels


def test_a_changed_definition_is_checked_in_full_and_refused(tmp_path: Path) -> None:
    path = tmp_path / "g.db"
    _open(path, read_only=False)
    owner = SCHEMA.node("Owner")
    grown = replace(owner, props=(*owner.props, Prop("pager")))
    schema = Schema(tuple(grown if n is owner else n for n in SCHEMA.nodes), SCHEMA.rels)
    with pytest.raises(SchemaMismatch, match=r"table Owner has columns .* schema wants .*pager"):
        _open(path, read_only=True, schema=schema)


def test_a_store_without_stamps_is_checked_in_full_then_stamped_by_a_writer(
    tmp_path: Path,
) -> None:
    path = tmp_path / "g.db"
    _open(path, read_only=False)
    assert set(_comments(path, clear=True).values()) != {""}
    _open(path, read_only=True)  # the full check passes; a reader cannot stamp
    assert set(_comments(path).values()) == {""}
    _open(path, read_only=False)
    assert _comments(path) == {t.name: t.stamp for t in ladybug_schema.wanted(SCHEMA)}


def test_a_stamp_names_its_definition() -> None:
    tables = ladybug_schema.wanted(SCHEMA)
    assert len({t.stamp for t in tables}) == len(tables)
    asset = next(t for t in tables if t.name == "Asset")
    assert replace(asset, key="name").stamp != asset.stamp
