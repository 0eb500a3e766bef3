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
    with pytest.raises(SchemaMismatch, match=r"table Owner lacks column pager STRING \(a writ"):
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


def test_a_store_of_an_older_release_gains_the_new_property_and_keeps_its_data(
    tmp_path: Path,
) -> None:
    """A release that adds a node property (here Asset.own_use) opens the register an older
    one wrote: a reader is refused with what to run, a writer adds the column; the rows, their
    links and the change log stay, and the answers are those of a fresh load."""
    from api.session import Clausegraph
    from graph.audit.read import head
    from loaders.inventory import load_inventory
    from tests.review.conftest import ACME, REVIEW_DAY

    path = tmp_path / "g.db"
    store = LadybugStore(path)
    store.apply_schema()
    load_inventory(store, ACME)
    before = (store.counts(), head(store), [g.id for g in Clausegraph(store).gaps(REVIEW_DAY)])
    store.close()
    db = ladybug.Database(str(path))  # what the older release wrote: no own_use column
    conn = ladybug.Connection(db)
    conn.execute("ALTER TABLE Asset DROP own_use")
    conn.execute("COMMENT ON TABLE Asset IS ''")  # its stamp was of the older definition
    conn.close()
    db.close()

    with pytest.raises(SchemaMismatch, match=r"table Asset lacks column own_use BOOL \(a writ"):
        _open(path, read_only=True)
    upgraded = LadybugStore(path)
    try:
        upgraded.apply_schema()
        assert (upgraded.counts(), head(upgraded)) == before[:2]  # nothing lost, no event
        assert [g.id for g in Clausegraph(upgraded).gaps(REVIEW_DAY)] == before[2]
        # the kept rows hold null (never stated); loading the files states it again
        load_inventory(upgraded, ACME)
        assert head(upgraded)["seq"] > before[1]["seq"]  # recorded as a change
        assert [g.id for g in Clausegraph(upgraded).gaps(REVIEW_DAY)] == before[2]
    finally:
        upgraded.close()
    _open(path, read_only=True)  # stamped: a reader opens it again
