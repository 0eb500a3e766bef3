"""LadybugDB reads run on a pool of connections beside the writer: readers never see a write
batch half-applied, the pool stays bounded, and closing waits for the reads in flight."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from graph.errors import StoreUnavailable
from graph.stores import EdgeRows, NodeRows, WriteBatch
from graph.stores.ladybug_pool import default_read_connections
from graph.stores.ladybug_store import LadybugStore

N = 1500  # assets (and owners, and OWNED_BY edges) in the big batch: a write of a second or so
# One statement, so one committed state: owners, assets and edges counted together.
TOGETHER = (
    "MATCH (o:Owner) WITH count(o) AS owners "
    "OPTIONAL MATCH (a:Asset) WITH owners, count(a) AS assets "
    "OPTIONAL MATCH (:Asset)-[r:OWNED_BY]->(:Owner) RETURN owners, assets, count(r) AS edges"
)


def big_batch(tag: str) -> WriteBatch:
    owners = [{"id": f"O-{tag}-{i}", "name": f"Owner {i}"} for i in range(N)]
    assets = [{"id": f"A-{tag}-{i}", "name": f"System {i}", "lifecycle": "production"}
              for i in range(N)]  # fmt: skip
    edges = [{"src": f"A-{tag}-{i}", "dst": f"O-{tag}-{i}"} for i in range(N)]
    return WriteBatch(
        nodes=[NodeRows("Owner", owners), NodeRows("Asset", assets)],
        edges=[EdgeRows("OWNED_BY", "Asset", "Owner", edges)],
    )


def read_while(store: LadybugStore, write: Callable[[], None], read: Callable[[], object],
               readers: int = 4) -> tuple[list[object], list[BaseException]]:  # fmt: skip
    """Run ``write`` on one thread while ``readers`` threads call ``read`` until it is done."""
    seen: list[object] = []
    errors: list[BaseException] = []
    done = threading.Event()

    def reader() -> None:
        while not done.is_set():
            try:
                seen.append(read())
            except BaseException as e:
                errors.append(e)
                return

    threads = [threading.Thread(target=reader) for _ in range(readers)]
    for t in threads:
        t.start()
    try:
        write()
    finally:
        done.set()
        for t in threads:
            t.join()
    seen.append(read())  # and once after the commit
    return seen, errors


@pytest.fixture
def store(tmp_path: Path) -> LadybugStore:
    s = LadybugStore(tmp_path / "graph.db", read_connections=3)
    s.apply_schema()
    s.write(big_batch("before"))
    return s


def test_concurrent_readers_see_the_batch_whole_or_not_at_all(store: LadybugStore) -> None:
    def together() -> tuple[int, int, int]:
        row = store.dump(TOGETHER)[0]
        return row["owners"], row["assets"], row["edges"]

    seen, errors = read_while(store, lambda: store.write(big_batch("after")), together)
    store.close()
    assert errors == []
    assert set(seen) <= {(N, N, N), (2 * N, 2 * N, 2 * N)}, set(seen)
    assert seen[-1] == (2 * N, 2 * N, 2 * N)


def test_readers_during_a_stage_and_swap_see_one_state_and_no_error(store: LadybugStore) -> None:
    """The staged bulk path replaces the database file: the read pool is closed and rebuilt on
    the new file while readers keep asking (they wait for the swap, never fail)."""
    store.bulk_min_rows, store.live_max_rows, store.live_share = 1, 0, 0.0  # force the stage
    store.keyed_share = 0.0
    inode = store.path.stat().st_ino

    def together() -> tuple[int, int, int]:
        row = store.dump(TOGETHER)[0]
        return row["owners"], row["assets"], row["edges"]

    seen, errors = read_while(store, lambda: store.write(big_batch("after")), together)
    assert store.path.stat().st_ino != inode, "the write did not take the stage-and-swap path"
    assert store.counts()["Asset"] == 2 * N  # the rebuilt pool serves the new file
    store.close()
    assert errors == []
    assert set(seen) <= {(N, N, N), (2 * N, 2 * N, 2 * N)}, set(seen)
    assert seen[-1] == (2 * N, 2 * N, 2 * N)


def test_counts_come_from_one_state_while_a_batch_commits(store: LadybugStore) -> None:
    """counts() runs several statements, in one read-only transaction."""

    def counts() -> tuple[int, int, int]:
        c = store.counts()
        return c["Owner"], c["Asset"], c["OWNED_BY(Asset->Owner)"]

    seen, errors = read_while(store, lambda: store.write(big_batch("after")), counts)
    store.close()
    assert errors == []
    assert set(seen) <= {(N, N, N), (2 * N, 2 * N, 2 * N)}, set(seen)


def test_a_failed_batch_is_never_seen_by_readers(store: LadybugStore) -> None:
    bad = big_batch("bad")
    bad.edges[0].rows.append({"src": "A-bad-0", "dst": "no-such-owner"})  # fails at the end

    def write() -> None:
        with pytest.raises(Exception, match="endpoint that does not exist"):
            store.write(bad)

    seen, errors = read_while(store, write, lambda: store.counts()["Asset"])
    store.close()
    assert errors == []
    assert set(seen) == {N}


def test_reads_use_at_most_the_pool_size_connections(store: LadybugStore) -> None:
    barrier = threading.Barrier(12)
    results: list[int] = []

    def worker() -> None:
        barrier.wait()
        for _ in range(20):
            results.append(len(store.read("assets.list", tier="", owner="", lifecycle="")))

    threads = [threading.Thread(target=worker) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [N] * 240
    assert 1 <= store._readers._opened <= 3
    store.close()


def test_closed_store_refuses_reads(tmp_path: Path) -> None:
    s = LadybugStore(tmp_path / "graph.db", read_connections=2)
    s.apply_schema()
    assert s.keys("Asset") == set()
    s.close()
    with pytest.raises(StoreUnavailable):
        s.keys("Asset")


def test_default_pool_size_is_bounded() -> None:
    assert 2 <= default_read_connections() <= 8


def test_waiting_readers_are_served_first_come_first_served(tmp_path: Path) -> None:
    s = LadybugStore(tmp_path / "graph.db", read_connections=1)
    s.apply_schema()
    pool = s._readers
    order: list[str] = []

    def reader(name: str) -> None:
        with pool.connection():
            order.append(name)

    with pool.connection():  # the only connection is busy: B, then C, must wait in line
        threads = []
        for name in ("B", "C"):
            t = threading.Thread(target=reader, args=(name,))
            t.start()
            threads.append(t)
            while len(pool._waiters) < len(threads):
                time.sleep(0.001)
    for t in threads:
        t.join()
    assert order == ["B", "C"]
    s.close()


def test_read_now_answers_at_once_or_says_none_without_waiting(store: LadybugStore) -> None:
    """``read_now`` (an async route's read-model lookup in the event loop) takes an idle read
    connection or returns None at once when every one is busy; it never waits for one."""
    params = {"tier": "", "owner": "", "lifecycle": ""}
    assert store.read_now("assets.list", **params) == store.read("assets.list", **params)
    held = [store._readers.acquire() for _ in range(3)]  # the pool's size: every one busy
    try:
        got: list[object] = []
        asker = threading.Thread(target=lambda: got.append(store.read_now("assets.list", **params)))
        asker.start()
        asker.join(timeout=30)  # a read that waited would wait for ever: we hold them all
        assert not asker.is_alive() and got == [None]
    finally:
        for conn in held:
            store._readers.release(conn)
    assert len(store.read_now("assets.list", **params) or []) == N
    store.close()
    assert store.read_now("assets.list", **params) is None  # closed: the caller's read says so
