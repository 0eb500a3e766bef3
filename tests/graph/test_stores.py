"""One test body for both stores: schema, idempotent upserts, atomic batches, plain reads."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from graph.errors import InvalidParameters, QueryNotFound, SchemaMismatch, WriteFailed
from graph.stores import EdgeRows, NodeRows, Store, Unlink, WriteBatch
from graph.stores.ladybug_store import LadybugStore
from tests.factories import tiny_counts, tiny_graph


def nonzero(store: Store) -> dict[str, int]:
    return {k: v for k, v in store.counts().items() if v}


def test_schema_applies_twice(store: Store) -> None:
    store.apply_schema()
    store.apply_schema()
    assert nonzero(store) == {}
    assert set(store.counts()) >= {"Article", "Asset", "MAPS_TO(Clause->Article)"}


def test_upsert_is_idempotent(store: Store) -> None:
    store.write(tiny_graph())
    assert nonzero(store) == tiny_counts()
    store.write(tiny_graph())
    assert nonzero(store) == tiny_counts()


def test_changed_row_updates_in_place(store: Store) -> None:
    store.write(tiny_graph())
    store.write(
        WriteBatch(
            nodes=[
                NodeRows(
                    "Control",
                    [{"id": "C-2", "name": "Log retention (6 months)", "status": "planned"}],
                )
            ]
        )
    )
    rows = store.read("gaps.control_without_evidence")
    assert rows == []  # C-2 is no longer implemented, so no longer a gap
    assert nonzero(store) == tiny_counts()


def test_unlink_then_relink_replaces_edges(store: Store) -> None:
    store.write(tiny_graph())
    store.write(
        WriteBatch(
            unlink=[Unlink("OWNED_BY", "Asset", "Owner", ["A-1"])],
            edges=[EdgeRows("OWNED_BY", "Asset", "Owner", [{"src": "A-2", "dst": "O-2"}])],
        )
    )
    assert store.read("gaps.asset_without_owner") == [
        {"subject": "A-1", "asset": "A-1", "name": "CV screener", "lifecycle": "production"}
    ]


def test_batch_failing_at_the_end_leaves_store_unchanged(store: Store) -> None:
    store.write(tiny_graph())
    before = store.counts()
    bad = WriteBatch(
        nodes=[
            NodeRows("Owner", [{"id": "O-9", "name": "New"}]),
            NodeRows("Asset", [{"id": "A-1", "name": "RENAMED", "lifecycle": "production"}]),
        ],
        edges=[EdgeRows("OWNED_BY", "Asset", "Owner", [{"src": "A-404", "dst": "O-9"}])],
    )
    with pytest.raises(WriteFailed, match="1 of 1 rows name an endpoint that does not exist"):
        store.write(bad)
    assert store.counts() == before
    names = {r["name"] for r in store.read("gaps.asset_without_owner")}
    assert names == {"Chatbot"}
    assert store.read("catalog.articles", chapter="III")[0]["title"] == "Record-keeping"


def test_batch_refused_by_schema_check_writes_nothing(store: Store) -> None:
    before = store.counts()
    bad = WriteBatch(
        nodes=[
            NodeRows("Owner", [{"id": "O-9", "name": "New"}]),
            NodeRows("Evidence", [{"id": "E-9", "collected_on": "2026-13-01"}]),
        ]
    )
    with pytest.raises(WriteFailed, match="collected_on='2026-13-01' is not DATE"):
        store.write(bad)
    assert store.counts() == before


def test_engine_error_mid_batch_rolls_back(store: Store) -> None:
    """A value only the engine refuses (an integer beyond 64 bits), after other writes in the tx."""
    store.write(tiny_graph())
    before = store.counts()
    bad = WriteBatch(
        nodes=[
            NodeRows("Owner", [{"id": "O-9", "name": "New"}]),
            NodeRows("Control", [{"id": "C-9", "name": "Huge", "review_every_days": 2**70}]),
        ]
    )
    with pytest.raises(WriteFailed, match="nothing was written"):
        store.write(bad)
    assert store.counts() == before


def test_reads_are_plain_python(store: Store) -> None:
    store.write(tiny_graph())
    rows = store.read("catalog.articles", chapter="")
    assert [r["id"] for r in rows] == ["AIA-12", "AIA-14", "AIA-ANNEX-III"]
    first = rows[0]
    assert type(first["applies_from"]) is dt.date
    assert first["applies_from"] == dt.date(2027, 12, 2)
    assert first["binds"] == ["provider"]
    assert type(first) is dict


def test_unknown_query_and_bad_params(store: Store) -> None:
    with pytest.raises(QueryNotFound, match=r"no query named 'gaps\.nope'"):
        store.read("gaps.nope")
    with pytest.raises(InvalidParameters, match=r"missing \$chapter"):
        store.read("catalog.articles")
    with pytest.raises(InvalidParameters, match=r"unexpected \$tier"):
        store.read("catalog.articles", chapter="", tier="high")


def test_unknown_label_and_property_refused_before_writing(store: Store) -> None:
    with pytest.raises(WriteFailed, match="unknown node label 'Robot'"):
        store.write(WriteBatch(nodes=[NodeRows("Robot", [{"id": "R"}])]))
    with pytest.raises(WriteFailed, match=r"unknown properties \['colour'\]"):
        store.write(WriteBatch(nodes=[NodeRows("Owner", [{"id": "O", "colour": "red"}])]))
    with pytest.raises(WriteFailed, match=r"does not connect \(Owner\)->\(Asset\)"):
        store.write(WriteBatch(edges=[EdgeRows("OWNED_BY", "Owner", "Asset", [])]))
    assert nonzero(store) == {}


def test_duplicate_edges_in_one_batch_become_one(store: Store) -> None:
    store.write(tiny_graph())
    dup = [{"src": "A-2", "dst": "O-2"}, {"src": "A-2", "dst": "O-2"}]
    store.write(WriteBatch(edges=[EdgeRows("OWNED_BY", "Asset", "Owner", dup)]))
    assert store.counts()["OWNED_BY(Asset->Owner)"] == 2


def test_ladybug_schema_mismatch_is_reported(tmp_path: Path) -> None:
    import ladybug  # noqa: TID251 - the test builds an old-style store on purpose

    path = tmp_path / "old.db"
    db = ladybug.Database(str(path))
    conn = ladybug.Connection(db)
    conn.execute("CREATE NODE TABLE Asset(id STRING PRIMARY KEY, name INT64)")
    conn.close()
    db.close()
    store = LadybugStore(path)
    try:
        with pytest.raises(SchemaMismatch, match="has column name as INT64, schema wants STRING"):
            store.apply_schema()
    finally:
        store.close()


def test_writer_lock_file_is_removed_on_close_and_the_store_reopens(tmp_path: Path) -> None:
    path = tmp_path / "g.db"
    lock = tmp_path / "g.db.writer.lock"
    first, second = LadybugStore(path), LadybugStore(path)  # one process shares the lock
    assert lock.exists()
    first.close()
    assert lock.exists()  # still held by the second store object
    second.close()
    assert not lock.exists()
    again = LadybugStore(path)
    try:
        assert lock.exists()
    finally:
        again.close()
