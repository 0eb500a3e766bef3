"""The LadybugDB bulk path (diff, then the delta MERGE-d live or COPY-ed into a staged copy that
is swapped in) gives exactly the graph the MERGE path gives: byte-identical exports."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.backup import export_lines
from graph.errors import WriteFailed
from graph.stores import EdgeRows, NodeRows, Unlink, WriteBatch, ladybug_bulk
from graph.stores.ladybug_store import LadybugStore
from loaders.inventory import load_inventory
from synth.organisation import synth


def _store(path: Path, bulk: bool, staged: bool = True) -> LadybugStore:
    store = LadybugStore(path)
    store.bulk_min_rows = 0 if bulk else 10**12
    store.keyed_share = 0.0
    store.live_max_rows = 0 if staged else 10**12
    store.live_share = 0.0 if staged else 1.0
    store.apply_schema()
    return store


@pytest.fixture(params=["staged", "live"])
def pair(
    tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[tuple[LadybugStore, LadybugStore]]:
    merge = _store(tmp_path / "merge.db", False)
    bulk = _store(tmp_path / "bulk.db", True, staged=request.param == "staged")
    yield merge, bulk
    merge.close()
    bulk.close()


def _dump(store: LadybugStore) -> list[str]:
    return list(export_lines(store, change_log=False))


def _edit(folder: Path, out: Path) -> Path:
    """Change a title, move an evidence item to another control, drop an asset's datasets."""
    shutil.copytree(folder, out)
    ev = (out / "evidence.csv").read_text().splitlines()
    ev[1] = ev[1].replace("log A-", "LOG A-", 1)
    ev[2] = ev[2].replace(",C-023,", ",C-001,", 1)
    (out / "evidence.csv").write_text("\n".join(ev) + "\n")
    assets = (out / "assets.csv").read_text().splitlines()
    assets[3] = assets[3].rsplit(",", 1)[0] + ","
    (out / "assets.csv").write_text("\n".join(assets) + "\n")
    return out


def test_same_graph_on_first_load_change_and_reload(
    pair: tuple[LadybugStore, LadybugStore], tmp_path: Path
) -> None:
    synth(30, 4, tmp_path / "org")
    edited = _edit(tmp_path / "org", tmp_path / "edited")
    merge, bulk = pair
    for folder in (tmp_path / "org", edited, edited, tmp_path / "org"):
        load_inventory(merge, folder)
        load_inventory(bulk, folder)
        assert _dump(bulk) == _dump(merge)


def test_prune_deletes_the_same(pair: tuple[LadybugStore, LadybugStore], tmp_path: Path) -> None:
    synth(30, 4, tmp_path / "big")
    synth(20, 4, tmp_path / "small")
    for store in pair:
        load_inventory(store, tmp_path / "big")
        load_inventory(store, tmp_path / "small", prune=True)
    assert _dump(pair[1]) == _dump(pair[0])


def _owner(i: int) -> dict[str, str | None]:
    return {"id": f"o{i}", "name": f"O {i}", "email": None, "team": None}


def test_duplicate_edges_and_nodes_in_one_batch(pair: tuple[LadybugStore, LadybugStore]) -> None:
    nodes = [NodeRows("Owner", [_owner(1), _owner(1) | {"name": "last"}]),
             NodeRows("Dataset", [{"id": "d1", "name": "D"}])]  # fmt: skip
    edges = [EdgeRows("OWNED_BY", "Dataset", "Owner", [{"src": "d1", "dst": "o1"}] * 3)]
    for store in pair:
        store.write(WriteBatch(nodes=nodes, edges=edges))
        store.write(WriteBatch(nodes=nodes, edges=edges))
        assert store.counts()["OWNED_BY(Dataset->Owner)"] == 1
        assert store.counts()["Owner"] == 1
    # Which duplicate wins is not specified on the MERGE path (LadybugDB keeps the first);
    # the bulk path keeps the last, like the edge de-duplication in prepared_batch.
    assert '"name":"last"' in "".join(_dump(pair[1]))


def test_unlink_without_rows_removes_links(pair: tuple[LadybugStore, LadybugStore]) -> None:
    nodes = [NodeRows("Owner", [_owner(1)]), NodeRows("Dataset", [{"id": "d1", "name": "D"}])]
    link = EdgeRows("OWNED_BY", "Dataset", "Owner", [{"src": "d1", "dst": "o1"}])
    for store in pair:
        store.write(WriteBatch(nodes=nodes, edges=[link]))
        store.write(WriteBatch(unlink=[Unlink("OWNED_BY", "Dataset", "Owner", ["d1"])]))
        assert store.counts()["OWNED_BY(Dataset->Owner)"] == 0


def test_missing_endpoint_fails_whole_batch(pair: tuple[LadybugStore, LadybugStore]) -> None:
    _, bulk = pair
    bulk.write(WriteBatch(nodes=[NodeRows("Owner", [_owner(1)])]))
    before = _dump(bulk)
    bad = WriteBatch(
        nodes=[NodeRows("Owner", [_owner(2)]), NodeRows("Dataset", [{"id": "d1", "name": "D"}])],
        edges=[EdgeRows("OWNED_BY", "Dataset", "Owner", [{"src": "d1", "dst": "nobody"}])],
    )
    with pytest.raises(WriteFailed, match="1 of 1 rows name an endpoint that does not exist"):
        bulk.write(bad)
    assert _dump(bulk) == before
    assert not list(bulk.path.parent.glob("*.stage*")), "the staged copy was not removed"


def test_engine_error_after_a_copy_rolls_back(
    pair: tuple[LadybugStore, LadybugStore], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, bulk = pair
    bulk.write(WriteBatch(nodes=[NodeRows("Owner", [_owner(1)])]))
    before = _dump(bulk)
    bulk.live_max_rows, bulk.live_share = 0, 0.0  # the staged COPY path
    # Without the endpoint check, the Owner and Dataset COPYs succeed inside the transaction and
    # the engine then refuses the edge COPY ("Unable to find primary key value zz"): nothing of
    # the batch may remain.
    monkeypatch.setattr(ladybug_bulk, "_check_endpoints", lambda *a: None)
    links = [{"src": "d1", "dst": "o2"}, {"src": "zz", "dst": "o2"}]
    bad = WriteBatch(
        nodes=[NodeRows("Owner", [_owner(i) for i in range(2, 50)]),
               NodeRows("Dataset", [{"id": "d1", "name": "D"}])],
        edges=[EdgeRows("OWNED_BY", "Dataset", "Owner", links)],
    )  # fmt: skip
    with pytest.raises(WriteFailed, match="primary key"):
        bulk.write(bad)
    assert _dump(bulk) == before
    assert not list(bulk.path.parent.glob("*.stage*")), "the staged copy was not removed"


def test_unchanged_reload_writes_nothing(
    pair: tuple[LadybugStore, LadybugStore], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    synth(30, 4, tmp_path / "org")
    _, bulk = pair
    load_inventory(bulk, tmp_path / "org")
    calls: list[str] = []
    monkeypatch.setattr(ladybug_bulk, "apply_copy", lambda *a: calls.append("copy"))
    monkeypatch.setattr(ladybug_bulk, "apply_live", lambda *a: calls.append("live"))
    load_inventory(bulk, tmp_path / "org")
    assert calls == []


def test_store_stays_usable_and_locked_after_a_swap(tmp_path: Path) -> None:
    store = _store(tmp_path / "g.db", True, staged=True)
    try:
        synth(20, 4, tmp_path / "org")
        load_inventory(store, tmp_path / "org")
        assert store.counts()["Asset"] == 20
        other = subprocess.run(
            [sys.executable, "-c", "import sys; from pathlib import Path; "
             "from graph.stores.ladybug_store import LadybugStore; LadybugStore(Path(sys.argv[1]))",
             str(tmp_path / "g.db")], capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert other.returncode != 0 and "StoreLocked" in other.stderr, other.stderr
        reader = LadybugStore(tmp_path / "g.db", read_only=True)
        assert reader.counts()["Asset"] == 20
        reader.close()
    finally:
        store.close()
    again = LadybugStore(tmp_path / "g.db")
    assert again.counts()["Asset"] == 20
    again.close()


def test_duplicate_rows_of_an_arrow_table_become_one_edge(
    pair: tuple[LadybugStore, LadybugStore],
) -> None:
    import pyarrow as pa  # type: ignore[import-untyped]

    nodes = [NodeRows("Owner", pa.Table.from_pylist([_owner(1), _owner(2)])),
             NodeRows("Dataset", pa.table({"id": ["d1", "d2"], "name": ["D", "E"]}))]  # fmt: skip
    links = pa.table({"src": ["d1", "d1", "d2", "d1"], "dst": ["o1", "o1", "o2", "o1"]})
    for store in pair:
        for _ in range(2):
            store.write(
                WriteBatch(nodes=nodes, edges=[EdgeRows("OWNED_BY", "Dataset", "Owner", links)])
            )
        assert store.counts()["OWNED_BY(Dataset->Owner)"] == 2
    assert _dump(pair[0]) == _dump(pair[1])


def test_a_second_store_in_the_same_process_disables_the_swap(tmp_path: Path) -> None:
    """Two store objects of one process may share the database (the engine allows it); a swap
    would leave the other on the old file, so the delta is written live instead."""
    first = _store(tmp_path / "g.db", True, staged=True)
    second = LadybugStore(tmp_path / "g.db")
    try:
        synth(20, 4, tmp_path / "org")
        inode = (tmp_path / "g.db").stat().st_ino
        load_inventory(first, tmp_path / "org")
        assert (tmp_path / "g.db").stat().st_ino == inode, "the file was swapped"
        assert first.counts()["Asset"] == 20
    finally:
        second.close()
        first.close()
